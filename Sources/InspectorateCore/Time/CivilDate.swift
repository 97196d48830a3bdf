import Foundation

/// A date without a time of day ("expires 31 July 2027"), as people write it: a day in the
/// deployment's time zone, not an instant. It begins at local midnight, which in British
/// Summer Time is 23:00 UTC the day before (ENGINEERING-NOTES, Time).
public struct CivilDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Throws a `FieldError` on `field` unless `year`-`month`-`day` is a real date in 1900–9999.
    public init(year: Int, month: Int, day: Int, field: String = "date") throws {
        guard (1900...9999).contains(year), (1...12).contains(month), (1...Self.days(in: month, of: year)).contains(day) else {
            let shown = String(format: "%04d-%02d-%02d", year, month, day)
            throw FieldError(field, "\(shown) is not a date: there is no such day")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads `YYYY-MM-DD` exactly (ISO 8601 calendar date). A time or a zone after it is
    /// refused: a date is a day, and an instant is written with its zone (`Instant.parse`).
    public static func parse(_ text: String, field: String = "date") throws -> CivilDate {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else {
            throw FieldError(field, "\"\(text)\" is not a date like 2027-07-31")
        }
        return try CivilDate(year: year, month: month, day: day, field: field)
    }

    /// The day on which `instant` falls in `zone`.
    public init(containing instant: Date, in zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        year = parts.year ?? 1970
        month = parts.month ?? 1
        day = parts.day ?? 1
    }

    /// The first instant of this day in `zone` (local midnight).
    public func start(in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        // Every real date has a midnight in the zones this serves (no zone skips midnight
        // in Europe); should one ever not, the first instant of the day is an hour later.
        let components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        return calendar.date(from: components) ?? calendar.startOfDay(for: Date(timeIntervalSince1970: 0))
    }

    /// The day `days` after this one (before, when negative).
    public func adding(days: Int) -> CivilDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let noon = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12)) ?? Date(timeIntervalSince1970: 0)
        let moved = noon.addingTimeInterval(Double(days) * 86_400)
        return CivilDate(containing: moved, in: calendar.timeZone)
    }

    /// Whole days from this date to `other` (negative when `other` is earlier).
    public func days(until other: CivilDate) -> Int {
        Int(((other.start(in: .utc).timeIntervalSince(start(in: .utc))) / 86_400).rounded())
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try CivilDate.parse(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension TimeZone {
    /// Coordinated Universal Time.
    public static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
}

/// Instants as people type them: an ISO 8601 date and time with its zone. A time typed
/// without a zone is refused rather than guessed (stored as UTC, it would be an hour out
/// all summer).
public enum Instant {
    /// Reads `2027-07-31T23:59:00Z`, `2027-07-31T23:59:00+01:00` or with fractional seconds.
    /// - Throws: `FieldError` on `field`, saying a zone is needed when it is missing.
    public static func parse(_ text: String, field: String) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: .iso8601) { return date }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if trimmed.contains("T") {
            throw FieldError(field, "\"\(text)\" has no time zone; write it as 2027-07-31T23:59:00Z or 2027-07-31T23:59:00+01:00")
        }
        throw FieldError(field, "\"\(text)\" is not a date and time like 2027-07-31T23:59:00Z")
    }

    /// `instant` as people in `zone` read it, with the zone named: `24 June 2009 16:00 BST`.
    public static func display(_ instant: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = zone
        formatter.dateFormat = "d MMMM yyyy HH:mm"
        return "\(formatter.string(from: instant)) \(zoneName(zone, at: instant))"
    }

    /// The zone's name at `instant` as people there say it: BST or GMT in London
    /// (Foundation on Linux says GMT+1 and GMT), otherwise Foundation's abbreviation.
    public static func zoneName(_ zone: TimeZone, at instant: Date) -> String {
        if zone.identifier == "Europe/London" {
            return zone.isDaylightSavingTime(for: instant) ? "BST" : "GMT"
        }
        return zone.abbreviation(for: instant) ?? zone.identifier
    }
}

/// A date or an instant as people type them, read by one rule everywhere (forms, the API,
/// the command line): `2027-07-31` is a civil date, meaning the start of that day in the
/// deployment's zone (so vetting that "expires 2027-07-31" has lapsed from 00:00 BST that
/// day, as the guidance says); `2027-07-31T23:59:00Z` or `…+01:00` is that instant; a time
/// without a zone is refused rather than guessed.
public enum DateInput {
    /// - Throws: `FieldError` on `field` naming what was wrong.
    public static func parse(_ text: String, field: String, zone: TimeZone) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.utf8.count == 10, !trimmed.contains("T") {
            return try CivilDate.parse(trimmed, field: field).start(in: zone)
        }
        return try Instant.parse(trimmed, field: field)
    }
}
