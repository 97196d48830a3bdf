/// One organisation's inputs to a funding round (issue 12, "The model").
///
/// - `riskWeight` r > 0: the analyst's assessment (never computed from demographic data:
///   there is no field for it). Between 10⁻⁹ and 10¹².
/// - `capabilityGap` g ≥ 0: levels below the tier's minimum, summed over areas
///   (`CapabilityGap`). The weight is w = r × (1 + g).
/// - `scale` c > 0, in pounds: the sum at which a pound's value has halved. When absent,
///   last year's allocation when it is positive, otherwise budget ÷ n (at least £1).
///   Between £10⁻⁶ and £10¹³.
/// - `previous`, `floor`, `cap`: whole pounds from 0 to £10¹³, each optional.
public struct FundingOrganisation: Hashable, Sendable, Codable {
    public var code: String
    public var riskWeight: Double
    public var capabilityGap: Int
    public var scale: Double?
    public var previous: Int?
    public var floor: Int?
    public var cap: Int?

    public init(
        code: String, riskWeight: Double, capabilityGap: Int = 0, scale: Double? = nil, previous: Int? = nil,
        floor: Int? = nil, cap: Int? = nil
    ) {
        self.code = code
        self.riskWeight = riskWeight
        self.capabilityGap = capabilityGap
        self.scale = scale
        self.previous = previous
        self.floor = floor
        self.cap = cap
    }

    /// w = r × (1 + g).
    public var weight: Double { riskWeight * Double(1 + capabilityGap) }

    /// What is wrong with these inputs on their own (a round also refuses a code given twice).
    public func problems() -> [(column: FundingColumn, message: String)] {
        if isPlainlyValid { return [] }
        var found: [(FundingColumn, String)] = []
        if code.isEmpty { found.append((.organisation, "Enter the organisation's code")) }
        if let message = FundingLimits.checkWeight(riskWeight) { found.append((.weight, message)) }
        if capabilityGap < 0 || capabilityGap > FundingLimits.largestGap {
            found.append((.capabilityGap, "must be a whole number of levels from 0 to \(FundingLimits.largestGap)"))
        }
        if let scale, let message = FundingLimits.checkScale(scale) { found.append((.scale, message)) }
        for (column, value) in [(FundingColumn.previous, previous), (.floor, floor), (.cap, cap)] {
            if let value, let message = FundingLimits.checkPounds(value) { found.append((column, message)) }
        }
        if let floor, let cap, floor > cap {
            found.append((.floor, "the floor \(Pounds.format(floor)) is above the cap \(Pounds.format(cap))"))
        }
        return found
    }

    /// Every check at once without building a list: a round of 200,000 rows is checked twice.
    private var isPlainlyValid: Bool {
        func pounds(_ value: Int?) -> Bool { value.map { $0 >= 0 && $0 <= FundingLimits.largestPounds } ?? true }
        return !code.isEmpty && FundingLimits.weights.contains(riskWeight) && capabilityGap >= 0
            && capabilityGap <= FundingLimits.largestGap
            && (scale.map { FundingLimits.scales.contains($0) } ?? true) && pounds(previous) && pounds(floor) && pounds(cap)
            && (floor ?? 0) <= (cap ?? Int.max)
    }
}

/// The inputs' names, as the CSV file and the problems call them.
public enum FundingColumn: String, Sendable, CaseIterable, Codable {
    case organisation, weight, capabilityGap = "capability_gap", scale, previous, floor, cap, budget, damping
}

/// The damping band d, 0 ≤ d < 1: nobody moves more than d from last year's allocation.
/// Kept exactly, in billionths, so that the whole-pound limits ⌈(1 − d)·p⌉ and ⌊(1 + d)·p⌋
/// carry no rounding error (0.1 is not a Double, and 0.9 × 100 must give 90, not 91).
public struct DampingBand: Hashable, Sendable, Codable, CustomStringConvertible {
    public static let denominator = 1_000_000_000
    public let billionths: Int

    /// Throws a `FieldError` on `field` unless 0 ≤ billionths < 10⁹.
    public init(billionths: Int, field: String = "damping") throws {
        guard billionths >= 0 && billionths < Self.denominator else {
            throw FieldError(field, "The damping band must be at least 0 and less than 1")
        }
        self.billionths = billionths
    }

    /// The band as a fraction, to the nearest billionth; NaN, infinity and values outside [0, 1) are refused.
    public init(fraction: Double, field: String = "damping") throws {
        guard fraction.isFinite, fraction >= 0, fraction < 1 else {
            throw FieldError(field, "The damping band must be a number at least 0 and less than 1")
        }
        try self.init(billionths: Int((fraction * Double(Self.denominator)).rounded()), field: field)
    }

    /// Reads a decimal fraction such as `0.10` exactly (at most nine decimal places).
    public static func parse(_ text: String, field: String = "damping") throws -> DampingBand {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        let digits = parts.allSatisfy { $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        guard !trimmed.isEmpty, parts.count <= 2, digits, parts.contains(where: { !$0.isEmpty }) else {
            throw FieldError(field, "\"\(text)\" is not a fraction like 0.10")
        }
        let whole = parts[0].isEmpty ? 0 : Int(parts[0].prefix(12)) ?? Int.max
        let decimals = parts.count == 2 ? String(parts[1]) : ""
        guard decimals.count <= 9 else { throw FieldError(field, "Give the damping band to at most nine decimal places") }
        let padded = decimals + String(repeating: "0", count: 9 - decimals.count)
        guard whole == 0, let fraction = Int(padded) else {
            throw FieldError(field, "The damping band must be at least 0 and less than 1 (\"\(text)\")")
        }
        return try DampingBand(billionths: fraction, field: field)
    }

    public var fraction: Double { Double(billionths) / Double(Self.denominator) }

    /// ⌈(1 − d)·previous⌉: the least whole-pound sum within the band.
    public func lowest(previous: Int) -> Int { Self.scaled(previous, by: Self.denominator - billionths, roundingUp: true) }

    /// ⌊(1 + d)·previous⌋: the greatest whole-pound sum within the band.
    public func highest(previous: Int) -> Int { Self.scaled(previous, by: Self.denominator + billionths, roundingUp: false) }

    /// previous × factor / 10⁹ in 128-bit arithmetic (previous ≤ 10¹³, factor < 2·10⁹).
    private static func scaled(_ previous: Int, by factor: Int, roundingUp: Bool) -> Int {
        let product = previous.multipliedFullWidth(by: factor)
        let (quotient, remainder) = denominator.dividingFullWidth(product)
        return roundingUp && remainder > 0 ? quotient + 1 : quotient
    }

    /// "10%", "2.5%".
    public var description: String { Pounds.percent(fraction * 100) }
}

/// The ranges that keep every sum exact in 64-bit integers and every Double finite:
/// 200,000 organisations × £2·10¹³ (a cap or a band's top) stays below 2⁶³.
public enum FundingLimits {
    public static let largestPounds = 10_000_000_000_000
    public static let largestBudget = 1_000_000_000_000_000_000
    public static let largestRound = 200_000
    public static let largestGap = 10_000
    public static let weights: ClosedRange<Double> = 1e-9...1e12
    public static let scales: ClosedRange<Double> = 1e-6...1e13

    static func checkWeight(_ value: Double) -> String? {
        if !value.isFinite { return "must be a finite number" }
        if value <= 0 { return "must be greater than 0" }
        if !weights.contains(value) { return "must be between 0.000000001 and 1000000000000" }
        return nil
    }

    static func checkScale(_ value: Double) -> String? {
        if !value.isFinite { return "must be a finite number of pounds" }
        if value <= 0 { return "must be greater than £0" }
        if !scales.contains(value) { return "must be between £0.000001 and £10,000,000,000,000" }
        return nil
    }

    static func checkPounds(_ value: Int) -> String? {
        if value < 0 { return "must not be negative" }
        if value > largestPounds { return "must be at most \(Pounds.format(largestPounds))" }
        return nil
    }
}
