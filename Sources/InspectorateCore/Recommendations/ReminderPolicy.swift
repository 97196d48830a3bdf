import Foundation

/// What a reminder is about. Stored in stamps by raw value; never rename.
public enum ReminderSubject: String, CaseIterable, Codable, Sendable {
    /// A recommendation's due date, to its addressees.
    case recommendation
    /// The end of the response period, to the addressees yet to respond.
    case response
    /// An action's due date, to its owner (or its organisation while unallocated).
    case action
}

/// Who a reminder goes to: an organisation's people, or one user.
public enum ReminderRecipient: Hashable, Sendable {
    case organisation(String)
    case user(UUID)
}

/// When, relative to the due date, a reminder is sent.
public enum ReminderTrigger: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `days` days before the due date.
    case before(days: Int)
    /// `days` days after the due date, when it is overdue.
    case overdue(days: Int)

    /// Days from the due date to the day of sending: negative before, positive after.
    public var offset: Int {
        switch self {
        case .before(let days): -days
        case .overdue(let days): days
        }
    }

    /// `before-7`, `overdue-1`: as stored in stamps.
    public var description: String {
        switch self {
        case .before(let days): "before-\(days)"
        case .overdue(let days): "overdue-\(days)"
        }
    }

    /// Earlier sending first.
    public static func < (lhs: ReminderTrigger, rhs: ReminderTrigger) -> Bool { lhs.offset < rhs.offset }
}

/// The mark that a reminder has been dealt with (sent, or passed over for a later one):
/// item, trigger and the due date it was for. Stamps are written before sending, so a
/// reminder is never sent twice, and a failed send is retried from an outbox, not by
/// planning it again. The due date is part of the key: when a due date moves, reminders
/// for the new date are due in their turn, while those already sent for the old date
/// stay sent.
public struct ReminderStamp: Hashable, Sendable, Codable, CustomStringConvertible {
    public var subject: ReminderSubject
    /// The item's identifier within its subject (a reference; a reference and addressee;
    /// an action's id).
    public var item: String
    public var trigger: ReminderTrigger
    public var due: CivilDate

    public init(subject: ReminderSubject, item: String, trigger: ReminderTrigger, due: CivilDate) {
        self.subject = subject
        self.item = item
        self.trigger = trigger
        self.due = due
    }

    /// `action|<id>|before-7|2027-03-31`: one text key, for a unique index.
    public var description: String { "\(subject.rawValue)|\(item)|\(trigger)|\(due)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let subject = ReminderSubject(rawValue: parts[0]), let trigger = Self.trigger(parts[2]) else {
            throw FieldError("stamp", "\"\(text)\" is not a reminder stamp")
        }
        self.init(subject: subject, item: parts[1], trigger: trigger, due: try CivilDate.parse(parts[3], field: "stamp"))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func trigger(_ text: String) -> ReminderTrigger? {
        if text.hasPrefix("before-"), let days = Int(text.dropFirst(7)), days > 0 { return .before(days: days) }
        if text.hasPrefix("overdue-"), let days = Int(text.dropFirst(8)), days > 0 { return .overdue(days: days) }
        return nil
    }
}

/// When reminders are sent: configuration, checked once.
///
/// Defaults: 30, 7 and 1 days before the due date (ten days before a deadline was "far too
/// late" for one tracker's users, DOMAIN.md), and once on the day after it, when overdue;
/// each at 09:00 in Europe/London, the deployment's zone, whether that is GMT or BST.
public struct ReminderPolicy: Equatable, Sendable {
    public static let londonZone = TimeZone(identifier: "Europe/London") ?? .utc

    public static let standard = ReminderPolicy(
        checkedDaysBefore: [30, 7, 1], daysOverdue: [1], hour: 9, minute: 0, zone: londonZone, catchUp: 72 * 3600)

    /// Days before the due date, largest first.
    public let daysBefore: [Int]
    /// Days after the due date, smallest first.
    public let daysOverdue: [Int]
    /// Local time of day at which a day's reminders fall due.
    public let hour: Int
    public let minute: Int
    public let zone: TimeZone
    /// How far back a run looks when the last run was long ago (after a restore, an
    /// upgrade or an outage): reminders that fell due earlier are not sent at all. 72 hours
    /// covers a weekend's outage; anything older is no longer timely and would be a flood.
    public let catchUp: TimeInterval

    /// - Throws: `ValidationErrors` on `reminder_days_before`, `reminder_days_overdue`
    ///   (each 1…366, each once), `reminder_time`, `reminder_catch_up_hours` (0…720).
    public init(daysBefore: [Int], daysOverdue: [Int], hour: Int, minute: Int, zone: TimeZone, catchUpHours: Int) throws {
        var errors = ValidationErrors()
        for (field, days) in [("reminder_days_before", daysBefore), ("reminder_days_overdue", daysOverdue)] {
            if days.contains(where: { !(1...366).contains($0) }) {
                errors.add(field, "Each offset is a whole number of days from 1 to 366")
            }
            if Set(days).count != days.count { errors.add(field, "Give each offset once") }
        }
        if !(0...23).contains(hour) || !(0...59).contains(minute) { errors.add("reminder_time", "Give a time of day such as 09:00") }
        if !(0...720).contains(catchUpHours) { errors.add("reminder_catch_up_hours", "Catch-up runs from 0 to 720 hours") }
        try errors.throwIfAny()
        self.init(
            checkedDaysBefore: daysBefore, daysOverdue: daysOverdue, hour: hour, minute: minute, zone: zone,
            catchUp: TimeInterval(catchUpHours) * 3600)
    }

    private init(checkedDaysBefore: [Int], daysOverdue: [Int], hour: Int, minute: Int, zone: TimeZone, catchUp: TimeInterval) {
        daysBefore = checkedDaysBefore.sorted(by: >)
        self.daysOverdue = daysOverdue.sorted()
        self.hour = hour
        self.minute = minute
        self.zone = zone
        self.catchUp = catchUp
    }

    /// Every trigger, earliest sending first.
    public var triggers: [ReminderTrigger] {
        daysBefore.map { .before(days: $0) } + daysOverdue.map { .overdue(days: $0) }
    }

    var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// The instant a reminder for `due` is sent under `trigger`: the policy's local time on
    /// the day `trigger.offset` days from the due date (09:00 BST is 08:00 UTC; 09:00 GMT is
    /// 09:00 UTC).
    public func sendInstant(for trigger: ReminderTrigger, due: CivilDate) -> Date {
        DayNumber.instant(DayNumber.of(due) + trigger.offset, hour: hour, minute: minute, calendar: calendar)
    }
}
