import Foundation

/// How often an indicator is reported: each value belongs to one period of this length.
/// Stored by raw value; never rename a case's raw value.
public enum ReportingFrequency: String, CaseIterable, Codable, Sendable, Comparable {
    case month
    case quarter
    /// The UK government financial year, 1 April to 31 March (`2009/10`).
    case financialYear = "financial_year"

    public var displayName: String {
        switch self {
        case .month: "Monthly"
        case .quarter: "Quarterly"
        case .financialYear: "Financial year"
        }
    }

    /// How a period of this frequency is written, for messages and forms.
    public var example: String {
        switch self {
        case .month: "2009-04"
        case .quarter: "2009-Q2"
        case .financialYear: "2009/10"
        }
    }

    /// Months in one period.
    public var months: Int {
        switch self {
        case .month: 1
        case .quarter: 3
        case .financialYear: 12
        }
    }

    public static func < (lhs: ReportingFrequency, rhs: ReportingFrequency) -> Bool { lhs.months < rhs.months }
}

/// A period an indicator value is for: a calendar month (`2009-04`), a calendar quarter
/// (`2009-Q2`, April to June 2009) or a UK financial year (`2009/10`, 1 April 2009 to
/// 31 March 2010; HM Treasury's year, the one police budgets and Home Office statistics use).
///
/// Quarters are calendar quarters, Q1 January to March: `2009-Q2` is the first quarter of
/// financial year 2009/10. Years run 1900–9999, as for `CivilDate`.
///
/// Periods of one frequency are ordered in time; across frequencies they order by their
/// first day, the shorter first (a series holds one frequency, so this only fixes a sort).
public enum ReportingPeriod: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    case month(year: Int, month: Int)
    case quarter(year: Int, quarter: Int)
    /// The financial year that starts on 1 April of `startYear`.
    case financialYear(startYear: Int)

    static let years = 1900...9999

    /// A period checked for range. - Throws: `FieldError` on `field`.
    public static func month(_ year: Int, _ month: Int, field: String = "period") throws -> ReportingPeriod {
        guard years.contains(year), (1...12).contains(month) else { throw FieldError(field, "\(year)-\(month) is not a month") }
        return .month(year: year, month: month)
    }

    public static func quarter(_ year: Int, _ quarter: Int, field: String = "period") throws -> ReportingPeriod {
        guard years.contains(year), (1...4).contains(quarter) else { throw FieldError(field, "\(year)-Q\(quarter) is not a quarter") }
        return .quarter(year: year, quarter: quarter)
    }

    public static func financialYear(_ startYear: Int, field: String = "period") throws -> ReportingPeriod {
        guard years.contains(startYear), years.contains(startYear + 1) else {
            throw FieldError(field, "\(startYear) does not start a financial year")
        }
        return .financialYear(startYear: startYear)
    }

    public var frequency: ReportingFrequency {
        switch self {
        case .month: .month
        case .quarter: .quarter
        case .financialYear: .financialYear
        }
    }

    /// Position in its frequency's sequence: consecutive periods differ by one. Two periods
    /// of one frequency compare as their ordinals do; `ordinal(for:)` undoes it.
    public var ordinal: Int {
        switch self {
        case .month(let year, let month): year * 12 + (month - 1)
        case .quarter(let year, let quarter): year * 4 + (quarter - 1)
        case .financialYear(let startYear): startYear
        }
    }

    /// The period of `frequency` at `ordinal`, or nil outside 1900–9999.
    public static func at(ordinal: Int, frequency: ReportingFrequency) -> ReportingPeriod? {
        guard ordinal >= 0 else { return nil }
        let period: ReportingPeriod
        switch frequency {
        case .month: period = .month(year: ordinal / 12, month: ordinal % 12 + 1)
        case .quarter: period = .quarter(year: ordinal / 4, quarter: ordinal % 4 + 1)
        case .financialYear: period = .financialYear(startYear: ordinal)
        }
        return period.isInRange ? period : nil
    }

    var isInRange: Bool {
        switch self {
        case .month(let year, let month): Self.years.contains(year) && (1...12).contains(month)
        case .quarter(let year, let quarter): Self.years.contains(year) && (1...4).contains(quarter)
        case .financialYear(let startYear): Self.years.contains(startYear) && Self.years.contains(startYear + 1)
        }
    }

    /// The next period of the same frequency (nil after 9999).
    public var next: ReportingPeriod? { Self.at(ordinal: ordinal + 1, frequency: frequency) }

    /// The period before, of the same frequency (nil before 1900).
    public var previous: ReportingPeriod? { Self.at(ordinal: ordinal - 1, frequency: frequency) }

    /// Whole periods from this one to `other`, of the same frequency (nil across frequencies).
    public func distance(to other: ReportingPeriod) -> Int? {
        other.frequency == frequency ? other.ordinal - ordinal : nil
    }

    /// Calendar year and month (1–12) of the first month of the period.
    var firstMonth: (year: Int, month: Int) {
        switch self {
        case .month(let year, let month): (year, month)
        case .quarter(let year, let quarter): (year, (quarter - 1) * 3 + 1)
        case .financialYear(let startYear): (startYear, 4)
        }
    }

    /// The first day of the period.
    public var start: CivilDate {
        let (year, month) = firstMonth
        return Self.date(year, month, 1)
    }

    /// The last day of the period.
    public var end: CivilDate {
        let (year, month) = firstMonth
        let last = year * 12 + (month - 1) + frequency.months - 1
        let lastYear = last / 12
        let lastMonth = last % 12 + 1
        return Self.date(lastYear, lastMonth, CivilDate.days(in: lastMonth, of: lastYear))
    }

    /// Whether `date` falls in the period (first and last day included).
    public func contains(_ date: CivilDate) -> Bool { start <= date && date <= end }

    /// The period of `frequency` that contains `date`.
    public static func containing(_ date: CivilDate, frequency: ReportingFrequency) -> ReportingPeriod {
        switch frequency {
        case .month: .month(year: date.year, month: date.month)
        case .quarter: .quarter(year: date.year, quarter: (date.month - 1) / 3 + 1)
        case .financialYear: .financialYear(startYear: date.month >= 4 ? date.year : date.year - 1)
        }
    }

    /// `2009-04`, `2009-Q2`, `2009/10`: what `parse` reads.
    public var description: String {
        switch self {
        case .month(let year, let month): String(format: "%04d-%02d", year, month)
        case .quarter(let year, let quarter): String(format: "%04d-Q%d", year, quarter)
        case .financialYear(let startYear): String(format: "%04d/%02d", startYear, (startYear + 1) % 100)
        }
    }

    /// For pages: `April 2009`, `April to June 2009`, `2009/10 (April 2009 to March 2010)`.
    public var displayName: String {
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        ]
        switch self {
        case .month(let year, let month): return "\(names[month - 1]) \(year)"
        case .quarter(let year, let quarter): return "\(names[(quarter - 1) * 3]) to \(names[(quarter - 1) * 3 + 2]) \(year)"
        case .financialYear(let startYear): return "\(description) (April \(startYear) to March \(startYear + 1))"
        }
    }

    public static func < (lhs: ReportingPeriod, rhs: ReportingPeriod) -> Bool {
        if lhs.frequency == rhs.frequency { return lhs.ordinal < rhs.ordinal }
        let (left, right) = (lhs.firstMonth, rhs.firstMonth)
        if (left.year, left.month) != (right.year, right.month) { return (left.year, left.month) < (right.year, right.month) }
        return lhs.frequency < rhs.frequency
    }

    public init(from decoder: any Decoder) throws {
        self = try Self.parse(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// A date the range checks above guarantee is real; the fallback is never reached.
    private static func date(_ year: Int, _ month: Int, _ day: Int) -> CivilDate {
        (try? CivilDate(year: year, month: month, day: day)) ?? CivilDate(containing: Date(timeIntervalSince1970: 0), in: .utc)
    }
}
