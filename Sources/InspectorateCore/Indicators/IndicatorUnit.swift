import Foundation

/// What an indicator's values measure, and so which values are allowed. Every unit is an
/// aggregate for one organisation and one period: there is deliberately no unit for a
/// person and no free-text value (see `IndicatorUnit.parse`). Stored by raw value; never
/// rename a case's raw value.
public enum IndicatorUnit: String, CaseIterable, Codable, Sendable {
    /// 0 to 100 inclusive (a share of something, such as partners with a protocol).
    case percentage
    /// A whole number, 0 or more (contacts recorded, referrals received).
    case count
    /// 0 or more per 100,000 resident population (staff in post per 100,000).
    case ratePer100000 = "rate_per_100000"
    /// 0 or more: one quantity divided by another of a different kind (officers per partner).
    case ratio

    public var displayName: String {
        switch self {
        case .percentage: "Percentage (0 to 100)"
        case .count: "Count (a whole number, 0 or more)"
        case .ratePer100000: "Rate per 100,000 population (0 or more)"
        case .ratio: "Ratio (0 or more)"
        }
    }

    /// Short suffix for a figure on a page: `45%`, `12`, `3.2 per 100,000`.
    public func format(_ value: Double) -> String {
        let number = value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.1f", value)
        switch self {
        case .percentage: return "\(number)%"
        case .count, .ratio: return number
        case .ratePer100000: return "\(number) per 100,000"
        }
    }

    /// The smallest and, where there is one, the largest value allowed.
    public var allowedRange: (minimum: Double, maximum: Double?) {
        switch self {
        case .percentage: (0, 100)
        case .count, .ratePer100000, .ratio: (0, nil)
        }
    }

    /// Whether values must be whole numbers.
    public var wholeNumbersOnly: Bool { self == .count }

    /// Nil when `value` is allowed for this unit; otherwise a sentence saying what is
    /// (`"140 is not a percentage: a percentage is from 0 to 100"`). Cheap when the value is
    /// good: an import calls it for every row.
    @inline(__always)
    public func problem(with value: Double) -> String? {
        let (minimum, maximum) = allowedRange
        if value.isFinite, value >= minimum, maximum.map({ value <= $0 }) ?? true, !wholeNumbersOnly || value.rounded(.towardZero) == value
        {
            return nil
        }
        return explanation(for: value)
    }

    private func explanation(for value: Double) -> String {
        let shown = value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
        switch self {
        case .percentage: return "\(shown) is not a percentage: a percentage is from 0 to 100"
        case .count: return "\(shown) is not a count: a count is a whole number, 0 or more"
        case .ratePer100000: return "\(shown) is not a rate per 100,000: a rate is 0 or more"
        case .ratio: return "\(shown) is not a ratio here: a ratio is 0 or more"
        }
    }

    /// Words that would make a unit, and so every value, about people one by one. Matched
    /// against the unit's words, lower-cased.
    static let wordsForPeople: Set<String> = [
        "person", "persons", "people", "individual", "individuals", "name", "names", "nominal",
        "subject", "subjects", "suspect", "suspects", "referral record", "case record",
    ]

    /// Words for values that are text rather than numbers.
    static let wordsForText: Set<String> = [
        "text", "free text", "free-text", "string", "narrative", "comment", "comments", "notes", "description",
    ]

    /// Reads a unit as a form or YAML gives it: the raw value (`rate_per_100000`) or its
    /// plain name (`rate per 100,000`, `%`).
    ///
    /// Indicators are organisation-level aggregates only, by design (issue 13: "an indicator
    /// about individuals is refused by design (no unit such as a person, no free-text
    /// records)"): a unit that names people (`person`, `people`, `individual`, `name`…)
    /// or a free-text value (`text`, `narrative`, `comment`…) is refused with its own
    /// sentence, so no indicator can hold a record about someone. A count *of* referrals
    /// is fine; a value *per* person is not, except a rate per 100,000 of the population
    /// (`per 100,000 people`), which is an aggregate however it is worded.
    /// - Throws: `FieldError` on `field`.
    public static func parse(_ text: String, field: String = "unit") throws -> IndicatorUnit {
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if let unit = IndicatorUnit(rawValue: key) ?? allCases.first(where: { $0.displayName.lowercased() == key }) { return unit }
        // A rate per 100,000 of the population is an aggregate however it is worded.
        if key.contains("per 100,000") || key.contains("per 100000") { return .ratePer100000 }
        switch key {
        case "%", "percent", "per cent": return .percentage
        case "number", "whole number": return .count
        default: break
        }
        let words = Set(key.split(whereSeparator: { !$0.isLetter && $0 != "-" }).map(String.init))
        if key.isEmpty { throw FieldError(field, "Choose a unit: \(allCases.map(\.rawValue).joined(separator: ", "))") }
        if !words.isDisjoint(with: wordsForPeople) || wordsForPeople.contains(key) {
            throw FieldError(
                field,
                "\"\(text)\" would make each value about a person; indicators are figures for an organisation and a period only (count people in a count instead)"
            )
        }
        if !words.isDisjoint(with: wordsForText) || wordsForText.contains(key) {
            throw FieldError(field, "\"\(text)\" is not a unit: values are numbers, never free text, which could describe someone")
        }
        throw FieldError(field, "\"\(text)\" is not a unit; use one of \(allCases.map(\.rawValue).joined(separator: ", "))")
    }
}
