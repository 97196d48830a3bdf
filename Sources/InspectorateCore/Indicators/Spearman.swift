import Foundation

/// Spearman's rank correlation between two lists of figures, with what a reader needs to
/// weigh it: n, the two-sided p-value and a 95 % confidence interval.
public struct SpearmanCorrelation: Equatable, Sendable, Codable {
    /// Spearman's rho, in [−1, 1].
    public let rho: Double
    /// Pairs used.
    public let n: Int
    /// Two-sided, from Student's t on n − 2 degrees of freedom, as `scipy.stats.spearmanr`.
    public let pValue: Double
    /// 95 % interval by the Fisher z transform: tanh(atanh(rho) ± 1.959963984540054 / sqrt(n − 3)).
    public let ciLow: Double
    public let ciHigh: Double

    public init(rho: Double, n: Int, pValue: Double, ciLow: Double, ciHigh: Double) {
        self.rho = rho
        self.n = n
        self.pValue = pValue
        self.ciLow = ciLow
        self.ciHigh = ciHigh
    }

    enum CodingKeys: String, CodingKey {
        case rho, n
        case pValue = "p_value"
        case ciLow = "ci_low"
        case ciHigh = "ci_high"
    }

    /// Whether the interval leaves out zero (no "significance" is claimed beyond this).
    public var intervalExcludesZero: Bool { ciLow > 0 || ciHigh < 0 }
}

/// Why a correlation cannot be given. Never a NaN: each case says what is missing.
public enum CorrelationUnavailable: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer than four pairs: the interval needs n − 3 > 0.
    case tooFewPairs(n: Int, minimum: Int)
    /// Every value of one variable is the same, so there is no order to compare.
    case constant(variable: String)
    /// The two lists are of different lengths (a caller's mistake).
    case unequalLengths(x: Int, y: Int)
    /// A value is not a finite number (a missing value must be left out before, and counted).
    case notFinite(variable: String, position: Int)

    public var description: String {
        switch self {
        case .tooFewPairs(let n, let minimum):
            "A correlation cannot be computed from \(n) pair\(n == 1 ? "" : "s"); it needs at least \(minimum)"
        case .constant(let variable):
            "A correlation cannot be computed: every \(variable) is the same, so there is nothing to rank"
        case .unequalLengths(let x, let y): "A correlation cannot be computed from \(x) values against \(y)"
        case .notFinite(let variable, let position): "A correlation cannot be computed: \(variable) number \(position + 1) is not a number"
        }
    }
}

/// Spearman's rank correlation, matching `scipy.stats.spearmanr` (SciPy 1.17) on the same data:
/// - each list is ranked with ties given their average rank (`scipy.stats.rankdata`, method
///   "average"), and rho is Pearson's correlation of the ranks;
/// - the p-value is two-sided: t = rho·sqrt((n − 2)/(1 − rho²)) on Student's t with n − 2
///   degrees of freedom (`StudentT.correlationPValue`); 0 when |rho| = 1;
/// - the 95 % confidence interval is Fisher's: z = atanh(rho), SE = 1/sqrt(n − 3),
///   tanh(z ± 1.959963984540054·SE), the method of SciPy's `pearsonr(...).confidence_interval()`
///   applied to rho (`spearmanr` itself gives no interval); [rho, rho] when |rho| = 1.
///
/// Where SciPy gives NaN (a constant input) or no interval (n ≤ 3), this gives a
/// `CorrelationUnavailable` instead.
public enum Spearman {
    /// The fewest pairs for which the interval exists.
    public static let minimumPairs = 4
    /// The standard normal quantile for a two-sided 95 % interval, Φ⁻¹(0.975).
    public static let normalQuantile975 = 1.959963984540054

    public static func correlate(_ x: [Double], _ y: [Double]) -> Result<SpearmanCorrelation, CorrelationUnavailable> {
        guard x.count == y.count else { return .failure(.unequalLengths(x: x.count, y: y.count)) }
        if let position = x.firstIndex(where: { !$0.isFinite }) { return .failure(.notFinite(variable: "x", position: position)) }
        if let position = y.firstIndex(where: { !$0.isFinite }) { return .failure(.notFinite(variable: "y", position: position)) }
        let n = x.count
        if let first = x.first, x.allSatisfy({ $0 == first }) { return .failure(.constant(variable: "x")) }
        if let first = y.first, y.allSatisfy({ $0 == first }) { return .failure(.constant(variable: "y")) }
        guard n >= minimumPairs else { return .failure(.tooFewPairs(n: n, minimum: minimumPairs)) }
        let rho = pearson(averageRanks(x), averageRanks(y))
        let pValue = StudentT.correlationPValue(r: rho, n: n)
        let (low, high) = fisherInterval(r: rho, n: n)
        return .success(SpearmanCorrelation(rho: rho, n: n, pValue: pValue, ciLow: low, ciHigh: high))
    }

    /// Ranks from 1, ties sharing the mean of the ranks they span (`rankdata(method="average")`):
    /// `[10, 20, 20, 30]` ranks as `[1, 2.5, 2.5, 4]`.
    public static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var ranks = Array(repeating: 0.0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end hold ranks start+1 ... end; their mean is (start+1+end)/2.
            let rank = Double(start + 1 + end) / 2
            for position in start..<end { ranks[order[position]] = rank }
            start = end
        }
        return ranks
    }

    /// Pearson's correlation, clamped to [−1, 1]. Equal inputs give exactly 1 (the square
    /// root of a correctly rounded square is exact).
    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let meanX = x.reduce(0, +) / n
        let meanY = y.reduce(0, +) / n
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for index in x.indices {
            let dx = x[index] - meanX
            let dy = y[index] - meanY
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        return max(-1, min(1, sxy / (sxx * syy).squareRoot()))
    }

    /// The Fisher-z interval for a correlation `r` from `n` ≥ 4 pairs.
    public static func fisherInterval(r: Double, n: Int) -> (low: Double, high: Double) {
        if abs(r) >= 1 { return (r, r) }
        let z = atanh(r)
        let margin = normalQuantile975 / Double(n - 3).squareRoot()
        return (tanh(z - margin), tanh(z + margin))
    }
}
