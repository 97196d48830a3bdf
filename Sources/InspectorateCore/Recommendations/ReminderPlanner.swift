import Foundation

/// Something with a due date and people to remind: a recommendation (to its addressees), a
/// response period (to the addressees yet to respond), an action (to its owner). The caller
/// passes only what is still outstanding (a recommendation not yet reported complete, an
/// action not yet submitted for sign-off, a response not yet given).
public struct ReminderItem: Equatable, Sendable {
    public var subject: ReminderSubject
    /// Identifier within the subject; the same on every run.
    public var item: String
    public var due: CivilDate
    public var recipients: [ReminderRecipient]

    public init(subject: ReminderSubject, item: String, due: CivilDate, recipients: [ReminderRecipient]) {
        self.subject = subject
        self.item = item
        self.due = due
        self.recipients = recipients
    }
}

/// One reminder to send.
public struct Reminder: Equatable, Sendable {
    public var item: ReminderItem
    public var trigger: ReminderTrigger
    /// When it fell due to be sent.
    public var scheduled: Date
    /// Days from today (in the policy's zone, at the run) to the due date; negative when
    /// overdue. A reminder sent late after an outage says how long is left now, not then.
    public var daysUntilDue: Int

    public var stamp: ReminderStamp {
        ReminderStamp(subject: item.subject, item: item.item, trigger: trigger, due: item.due)
    }
}

/// What one run of the reminder job should do. Stamp everything in `stamps` (in one
/// transaction, before sending), then send `toSend`, then record the run's `now` as the
/// last run.
public struct ReminderRun: Equatable, Sendable {
    /// Reminders whose instant fell in the window, not already stamped, at most one per
    /// item: the latest (most urgent) one.
    public var toSend: [Reminder]
    /// Reminders that fell in the window but were passed over because a later reminder
    /// of the same item is sent in the same run ("30 days left" is not sent beside "1 day
    /// left"). Stamped, never sent.
    public var passedOver: [Reminder]
    /// The window: reminders scheduled after `from` (at or after it on a first run) and at
    /// or before `through`.
    public var from: Date
    public var through: Date
    /// The last run was longer ago than the policy's catch-up: older reminders were dropped.
    public var caughtUpPartly: Bool
    public var isFirstRun: Bool

    /// Every stamp to write before sending.
    public var stamps: [ReminderStamp] { (toSend + passedOver).map(\.stamp) }
}

/// Works out which reminders are due, from the due dates, the policy, the instant now, the
/// instant of the last run and the stamps already written. Pure: the job that calls it
/// keeps the stamps and the last run's instant.
///
/// The window a run covers:
/// - after a last run: reminders scheduled in (last run, now]; but never further back than
///   the policy's catch-up (72 hours by default), so a restore from an old backup, an
///   upgrade after a long stop, or a job that has not run for weeks sends nothing older;
/// - on the first run ever (no last run): only reminders scheduled today, local time, up
///   to now: from local midnight in the policy's zone. Installing the system does not
///   send every reminder that would have fallen due in the past;
/// - when the clock reads earlier than the last run (moved back): nothing.
///
/// Within the window, a stamped reminder is never sent again; of several reminders of one
/// item, only the latest is sent and the others are stamped as passed over.
public enum ReminderPlanner {
    public static func plan(
        items: [ReminderItem], policy: ReminderPolicy, now: Date, lastRun: Date?, stamped: Set<ReminderStamp>
    ) -> ReminderRun {
        let calendar = policy.calendar
        let today = DayNumber.containing(now, calendar: calendar)
        let isFirstRun = lastRun == nil
        let earliest = now.addingTimeInterval(-policy.catchUp)
        let from: Date
        var caughtUpPartly = false
        if let lastRun {
            caughtUpPartly = lastRun < earliest
            from = max(lastRun, earliest)
        } else {
            from = DayNumber.instant(today, hour: 0, minute: 0, calendar: calendar)
        }
        var run = ReminderRun(toSend: [], passedOver: [], from: from, through: now, caughtUpPartly: caughtUpPartly, isFirstRun: isFirstRun)
        guard from <= now else { return run }

        func inWindow(_ instant: Date) -> Bool {
            (isFirstRun ? instant >= from : instant > from) && instant <= now
        }
        // Days on which a reminder could fall in the window; a day before the window's
        // first local day or after today cannot.
        let firstDay = DayNumber.containing(from, calendar: calendar)
        var instants: [Int: Date] = [:]
        func instant(onDay day: Int) -> Date {
            if let known = instants[day] { return known }
            let value = DayNumber.instant(day, hour: policy.hour, minute: policy.minute, calendar: calendar)
            instants[day] = value
            return value
        }
        let triggers = policy.triggers
        var chosen: Set<ReminderStamp> = []
        for item in items {
            let dueDay = DayNumber.of(item.due)
            var due: [Reminder] = []
            for trigger in triggers {
                let day = dueDay + trigger.offset
                // A local time late in the evening can fall on the next UTC day and the
                // reverse: allow a day either side, then test the instant itself.
                guard day >= firstDay - 1, day <= today + 1 else { continue }
                let scheduled = instant(onDay: day)
                guard inWindow(scheduled) else { continue }
                let reminder = Reminder(item: item, trigger: trigger, scheduled: scheduled, daysUntilDue: dueDay - today)
                let stamp = reminder.stamp
                guard !stamped.contains(stamp), !chosen.contains(stamp) else { continue }
                chosen.insert(stamp)
                due.append(reminder)
            }
            guard let latest = due.max(by: { $0.trigger < $1.trigger }) else { continue }
            run.toSend.append(latest)
            run.passedOver += due.filter { $0.trigger != latest.trigger }
        }
        // By instant, then subject, item and trigger: the same order on every run, without
        // building a text key for each comparison.
        let order: (Reminder, Reminder) -> Bool = { lhs, rhs in
            if lhs.scheduled != rhs.scheduled { return lhs.scheduled < rhs.scheduled }
            if lhs.item.subject != rhs.item.subject { return lhs.item.subject.rawValue < rhs.item.subject.rawValue }
            if lhs.item.item != rhs.item.item { return lhs.item.item < rhs.item.item }
            return lhs.trigger < rhs.trigger
        }
        run.toSend.sort(by: order)
        run.passedOver.sort(by: order)
        return run
    }
}
