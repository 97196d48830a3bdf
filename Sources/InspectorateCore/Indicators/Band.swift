import Foundation

/// The spread of a set of figures, for the band of most-similar organisations on a chart and
/// the distribution on an indicator's national page: least, quartiles, median, greatest.
///
/// Quartiles by linear interpolation between order statistics: the q-th quantile of n sorted
/// values is at position h = (n − 1)·q (from 0), interpolated between the values either side
/// (Hyndman and Fan's definition 7; the default of NumPy's `percentile`, R's `quantile` and
/// a spreadsheet's QUARTILE.INC; checked against NumPy in `quantiles-numpy.json`).
public struct Band: Equatable, Sendable, Codable {
    /// Organisations with a value.
    public let n: Int
    public let minimum: Double
    public let lowerQuartile: Double
    public let median: Double
    public let upperQuartile: Double
    public let maximum: Double
    /// Organisations asked for that have no value, so the page can say how many are missing.
    public let withoutValue: [String]

    enum CodingKeys: String, CodingKey {
        case n, minimum, median, maximum
        case lowerQuartile = "lower_quartile"
        case upperQuartile = "upper_quartile"
        case withoutValue = "without_value"
    }

    /// The band of `values`, or nil when there is none.
    public init?(values: [Double], withoutValue: [String] = []) {
        let sorted = values.filter(\.isFinite).sorted()
        guard let first = sorted.first, let last = sorted.last else { return nil }
        n = sorted.count
        minimum = first
        maximum = last
        lowerQuartile = Self.quantile(sorted, 0.25)
        median = Self.quantile(sorted, 0.5)
        upperQuartile = Self.quantile(sorted, 0.75)
        self.withoutValue = withoutValue
    }

    /// The band of the `members`' values (a most-similar group), each looked up in `values`;
    /// members without one are listed in `withoutValue`. Nil when none has a value.
    public init?(members: [String], values: [String: Double]) {
        var found: [Double] = []
        var missing: [String] = []
        for member in members {
            if let value = values[member] { found.append(value) } else { missing.append(member) }
        }
        self.init(values: found, withoutValue: missing)
    }

    /// Whether `value` lies between the least and greatest (inclusive).
    public func contains(_ value: Double) -> Bool { minimum <= value && value <= maximum }

    /// Whether `value` lies between the quartiles (inclusive): the middle half.
    public func inMiddleHalf(_ value: Double) -> Bool { lowerQuartile <= value && value <= upperQuartile }

    /// The q-th quantile (0 ≤ q ≤ 1) of ascending, non-empty `sorted`, by linear interpolation.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = Double(sorted.count - 1) * q
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        let (a, b) = (sorted[lower], sorted[upper])
        // NumPy's form: exact at both ends of the step.
        return fraction >= 0.5 ? b - (b - a) * (1 - fraction) : a + (b - a) * fraction
    }
}
