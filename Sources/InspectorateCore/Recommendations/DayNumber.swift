import Foundation

/// Civil dates as whole day numbers (days since 1970-01-01 in the proleptic Gregorian
/// calendar), by arithmetic alone: the reminder run and the forecast handle hundreds of
/// thousands of dates, and a `Calendar` call for each would cost more than the rest of
/// the work. The algorithm is Howard Hinnant's `days_from_civil` / `civil_from_days`.
enum DayNumber {
    static func of(_ date: CivilDate) -> Int {
        of(year: date.year, month: date.month, day: date.day)
    }

    static func of(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Year, month and day of a day number.
    static func components(_ number: Int) -> (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The civil date of a day number; nil outside the years `CivilDate` accepts.
    static func date(_ number: Int) -> CivilDate? {
        let (year, month, day) = components(number)
        return try? CivilDate(year: year, month: month, day: day)
    }

    /// The day number of the day containing `instant` in `calendar`'s zone.
    static func containing(_ instant: Date, calendar: Calendar) -> Int {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return of(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// The instant of `hour`:`minute` local time on day `number` in `calendar`'s zone. A
    /// time the clocks skip that day (01:30 on the last Sunday of March in London) is read
    /// as Foundation reads it: the same length of time after the skip (02:30 BST); a time
    /// that happens twice (01:30 on the last Sunday of October) is its first occurrence.
    static func instant(_ number: Int, hour: Int, minute: Int, calendar: Calendar) -> Date {
        let (year, month, day) = components(number)
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        return calendar.date(from: parts) ?? Date(timeIntervalSince1970: Double(number) * 86_400 + Double(hour * 3600 + minute * 60))
    }
}
