import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

extension Recommendations {
    @Suite("Reminders")
    struct ReminderTests {
        let policy = ReminderPolicy.standard
        let owner = UUID()

        func action(_ id: String, due: String) -> ReminderItem {
            ReminderItem(subject: .action, item: id, due: Fixture.date(due), recipients: [.user(owner)])
        }

        func plan(
            _ items: [ReminderItem], now: String, lastRun: String?, stamped: Set<ReminderStamp> = [], policy: ReminderPolicy? = nil
        )
            -> ReminderRun
        {
            ReminderPlanner.plan(
                items: items, policy: policy ?? self.policy, now: Fixture.instant(now), lastRun: lastRun.map(Fixture.instant),
                stamped: stamped)
        }

        /// Sent reminders as `item trigger`.
        func sent(_ run: ReminderRun) -> [String] { run.toSend.map { "\($0.item.item) \($0.trigger)" } }

        @Test(arguments: [
            // Spring: British Summer Time begins at 01:00 UTC on Sunday 30 March 2025.
            ("2025-03-30", ReminderTrigger.before(days: 1), "2025-03-29T09:00:00Z"),  // Saturday, still GMT
            ("2025-03-31", .before(days: 1), "2025-03-30T08:00:00Z"),  // the Sunday itself: 09:00 BST
            ("2025-04-06", .before(days: 7), "2025-03-30T08:00:00Z"),
            ("2025-04-29", .before(days: 30), "2025-03-30T08:00:00Z"),
            ("2025-03-29", .overdue(days: 1), "2025-03-30T08:00:00Z"),
            // Autumn: British Summer Time ends at 01:00 UTC on Sunday 26 October 2025.
            ("2025-10-26", .before(days: 1), "2025-10-25T08:00:00Z"),  // Saturday, still BST
            ("2025-10-27", .before(days: 1), "2025-10-26T09:00:00Z"),  // the Sunday itself: 09:00 GMT
            ("2025-11-02", .before(days: 7), "2025-10-26T09:00:00Z"),
            ("2025-11-25", .before(days: 30), "2025-10-26T09:00:00Z"),
            ("2025-10-25", .overdue(days: 1), "2025-10-26T09:00:00Z"),
            // 2027: the last Sundays are 28 March and 31 October.
            ("2027-04-04", .before(days: 7), "2027-03-28T08:00:00Z"),
            ("2027-11-01", .before(days: 1), "2027-10-31T09:00:00Z"),
        ])
        func remindersGoAtNineLondonTimeInSummerAndWinter(due: String, trigger: ReminderTrigger, expected: String) {
            #expect(policy.sendInstant(for: trigger, due: Fixture.date(due)) == Fixture.instant(expected))
        }

        /// Each offset of an action due on Sunday 6 April 2025 (summer time began a week before),
        /// and of one due on Thursday 30 October 2025 (summer time ended four days before):
        /// a second before its instant nothing is due; at the instant, exactly that reminder.
        @Test(arguments: [
            ("2025-04-06", ReminderTrigger.before(days: 30), "2025-03-07T09:00:00Z"),
            ("2025-04-06", .before(days: 7), "2025-03-30T08:00:00Z"),
            ("2025-04-06", .before(days: 1), "2025-04-05T08:00:00Z"),
            ("2025-04-06", .overdue(days: 1), "2025-04-07T08:00:00Z"),
            ("2025-10-30", .before(days: 30), "2025-09-30T08:00:00Z"),
            ("2025-10-30", .before(days: 7), "2025-10-23T08:00:00Z"),
            ("2025-10-30", .before(days: 1), "2025-10-29T09:00:00Z"),
            ("2025-10-30", .overdue(days: 1), "2025-10-31T09:00:00Z"),
        ])
        func eitherSideOfEachOffset(due: String, trigger: ReminderTrigger, instant: String) {
            let item = action("a1", due: due)
            let at = Fixture.instant(instant)
            let lastRun = at.addingTimeInterval(-3600)
            let before = ReminderPlanner.plan(items: [item], policy: policy, now: at.addingTimeInterval(-1), lastRun: lastRun, stamped: [])
            #expect(before.toSend.isEmpty)
            let onTime = ReminderPlanner.plan(items: [item], policy: policy, now: at, lastRun: lastRun, stamped: [])
            #expect(onTime.toSend.map(\.trigger) == [trigger])
            #expect(onTime.toSend.first?.scheduled == at)
            #expect(onTime.toSend.first?.item.recipients == [.user(owner)])
            // The next run, from that instant on, has nothing more.
            let after = ReminderPlanner.plan(
                items: [item], policy: policy, now: at.addingTimeInterval(60), lastRun: at, stamped: Set(onTime.stamps))
            #expect(after.toSend.isEmpty)
        }

        @Test func anHourEitherSideOfTheSpringChangeIsNotAnHourOut() {
            // Due Monday 31 March 2025: the day-before reminder is 09:00 BST on the Sunday, 08:00 UTC.
            let item = action("a1", due: "2025-03-31")
            #expect(sent(plan([item], now: "2025-03-30T07:59:59Z", lastRun: "2025-03-30T07:00:00Z")).isEmpty)
            #expect(sent(plan([item], now: "2025-03-30T08:00:00Z", lastRun: "2025-03-30T07:00:00Z")) == ["a1 before-1"])
        }

        @Test func anHourEitherSideOfTheAutumnChangeIsNotAnHourEarly() {
            // Due Monday 27 October 2025: the day-before reminder is 09:00 GMT on the Sunday, 09:00 UTC.
            let item = action("a1", due: "2025-10-27")
            #expect(sent(plan([item], now: "2025-10-26T08:30:00Z", lastRun: "2025-10-26T07:00:00Z")).isEmpty)
            #expect(sent(plan([item], now: "2025-10-26T09:00:00Z", lastRun: "2025-10-26T08:30:00Z")) == ["a1 before-1"])
        }

        @Test func nothingIsSentTwiceEvenWhenTheLastRunWasNotRecorded() {
            let items = [action("a1", due: "2025-04-06"), action("a2", due: "2025-04-01")]
            let first = plan(items, now: "2025-03-31T09:00:00Z", lastRun: "2025-03-29T09:00:00Z")
            #expect(sent(first) == ["a1 before-7", "a2 before-1"])
            // The job stamped and sent, then died before recording its run: the same window again.
            let again = plan(items, now: "2025-03-31T09:05:00Z", lastRun: "2025-03-29T09:00:00Z", stamped: Set(first.stamps))
            #expect(again.toSend.isEmpty && again.passedOver.isEmpty)
        }

        @Test func aLongGapDoesNotFloodOnlyTheLastSeventyTwoHoursAreCaughtUp() {
            // Forty actions, one due each day through March and into April 2025.
            let items = (0..<40).map { action("a\($0)", due: Fixture.date("2025-03-01").adding(days: $0).description) }
            // Restored from a backup whose last run was on 1 February.
            let run = plan(items, now: "2025-03-20T10:00:00Z", lastRun: "2025-02-01T09:00:00Z")
            #expect(run.caughtUpPartly)
            #expect(run.from == Fixture.instant("2025-03-17T10:00:00Z"))
            // Only reminders scheduled 09:00 on 18, 19 and 20 March qualify: overdue-1 (due 17–19
            // March), before-1 (due 19–21 March), before-7 (due 25–27 March); before-30 would be
            // for 17–19 April, after the last action. The action due on 19 March has two (before-1
            // on the 18th, overdue-1 on the 20th): only the overdue one goes.
            #expect(
                sent(run)
                    == [
                        "a16 overdue-1", "a18 before-1", "a24 before-7", "a17 overdue-1", "a19 before-1", "a25 before-7", "a18 overdue-1",
                        "a20 before-1", "a26 before-7",
                    ].filter { $0 != "a18 before-1" })
            #expect(run.passedOver.map { "\($0.item.item) \($0.trigger)" } == ["a18 before-1"])
            #expect(run.toSend.allSatisfy { $0.scheduled > run.from && $0.scheduled <= Fixture.instant("2025-03-20T10:00:00Z") })
        }

        @Test func theFirstRunEverSendsOnlyWhatFellDueToday() {
            // Day-before reminders yesterday (due 12 June) and today (due 13 June); a week-before
            // reminder tomorrow (due 20 June).
            let items = [action("yesterday", due: "2025-06-12"), action("today", due: "2025-06-13"), action("tomorrow", due: "2025-06-20")]
            // 14:00 BST on 12 June: today's 09:00 BST reminder only.
            let run = plan(items, now: "2025-06-12T13:00:00Z", lastRun: nil)
            #expect(run.isFirstRun)
            #expect(run.from == Fixture.instant("2025-06-11T23:00:00Z"), "local midnight, which is 23:00 UTC in summer")
            #expect(sent(run) == ["today before-1"])
            // At 08:00 BST nothing yet; the next run picks it up at 09:00.
            #expect(plan(items, now: "2025-06-12T07:00:00Z", lastRun: nil).toSend.isEmpty)
            #expect(sent(plan(items, now: "2025-06-12T08:15:00Z", lastRun: "2025-06-12T07:00:00Z")) == ["today before-1"])
        }

        @Test func ofSeveralRemindersOfOneItemOnlyTheLatestGoesAndTheOthersAreStamped() throws {
            let policy = try ReminderPolicy(
                daysBefore: [30, 7, 1], daysOverdue: [1], hour: 9, minute: 0, zone: ReminderPolicy.londonZone, catchUpHours: 720)
            let run = plan([action("a1", due: "2025-05-10")], now: "2025-05-09T12:00:00Z", lastRun: "2025-04-20T12:00:00Z", policy: policy)
            #expect(sent(run) == ["a1 before-1"])
            #expect(run.passedOver.map(\.trigger) == [.before(days: 7)])
            #expect(run.stamps.count == 2)
            #expect(run.toSend.first?.daysUntilDue == 1)
        }

        @Test func aMovedDueDateGetsItsOwnReminders() {
            let old = action("a1", due: "2025-04-06")
            let first = plan([old], now: "2025-04-05T09:00:00Z", lastRun: "2025-04-05T07:00:00Z")
            #expect(sent(first) == ["a1 before-1"])
            // Moved to 6 May on 5 April: its 30-day reminder fell due on 6 April.
            let moved = action("a1", due: "2025-05-06")
            let next = plan([moved], now: "2025-04-06T08:00:00Z", lastRun: "2025-04-05T09:00:00Z", stamped: Set(first.stamps))
            #expect(sent(next) == ["a1 before-30"])
            #expect(next.toSend.first?.daysUntilDue == 30)
        }

        @Test func aClockMovedBackSendsNothing() {
            let run = plan([action("a1", due: "2025-04-06")], now: "2025-04-05T08:00:00Z", lastRun: "2025-04-05T10:00:00Z")
            #expect(run.toSend.isEmpty && run.passedOver.isEmpty)
        }

        @Test func lateRemindersSayHowLongIsLeftNow() {
            // The 7-day reminder's instant passed during a two-day outage; sent on the 5th day before.
            let run = plan([action("a1", due: "2025-06-20")], now: "2025-06-15T10:00:00Z", lastRun: "2025-06-12T12:00:00Z")
            #expect(sent(run) == ["a1 before-7"])
            #expect(run.toSend.first?.daysUntilDue == 5)
        }

        @Test func aTimeTheClocksSkipIsReadAsFoundationReadsIt() throws {
            let policy = try ReminderPolicy(
                daysBefore: [1], daysOverdue: [], hour: 1, minute: 30, zone: ReminderPolicy.londonZone, catchUpHours: 72)
            // 01:30 does not happen on 30 March 2025 in London: sent at 02:30 BST, 01:30 UTC.
            #expect(policy.sendInstant(for: .before(days: 1), due: Fixture.date("2025-03-31")) == Fixture.instant("2025-03-30T01:30:00Z"))
            // 01:30 happens twice on 26 October 2025: the first time, 01:30 BST, 00:30 UTC.
            #expect(policy.sendInstant(for: .before(days: 1), due: Fixture.date("2025-10-27")) == Fixture.instant("2025-10-26T00:30:00Z"))
        }

        @Test func policiesAreCheckedField() {
            #expect(throws: ValidationErrors.self) {
                try ReminderPolicy(daysBefore: [0], daysOverdue: [], hour: 9, minute: 0, zone: .utc, catchUpHours: 72)
            }
            do {
                _ = try ReminderPolicy(daysBefore: [7, 7], daysOverdue: [400], hour: 24, minute: 0, zone: .utc, catchUpHours: -1)
                Issue.record("a bad policy was accepted")
            } catch let errors as ValidationErrors {
                #expect(
                    errors.errors.map(\.field) == [
                        "reminder_days_before", "reminder_days_overdue", "reminder_time", "reminder_catch_up_hours",
                    ])
            } catch { Issue.record("unexpected \(error)") }
            #expect(ReminderPolicy.standard.triggers == [.before(days: 30), .before(days: 7), .before(days: 1), .overdue(days: 1)])
        }

        @Test func stampsAreOneTextKeyBothWays() throws {
            let stamp = ReminderStamp(
                subject: .response, item: "prevent-2009/national/3 acpo", trigger: .overdue(days: 1), due: Fixture.date("2009-08-19"))
            #expect(stamp.description == "response|prevent-2009/national/3 acpo|overdue-1|2009-08-19")
            let data = try JSONEncoder().encode([stamp])
            #expect(try JSONDecoder().decode([ReminderStamp].self, from: data) == [stamp])
            #expect(throws: (any Error).self) {
                try JSONDecoder().decode([ReminderStamp].self, from: Data(#"["action|x|soon|2025-01-01"]"#.utf8))
            }
        }

        @Test func itemsAreMadeOnlyForWhatIsOutstanding() throws {
            let recommendation = try #require(Prevent2009.load(marking: Marking(level: "OFFICIAL"), loadedAt: Fixture.at(0)).first)
            let item = try #require(ReminderItem.recommendation(recommendation, status: .inProgress))
            #expect(item.item == "prevent-2009/national/1" && item.due == Fixture.date("2010-03-31"))
            #expect(item.recipients == [.organisation("home-office")])
            #expect(ReminderItem.recommendation(recommendation, status: .reportedComplete) == nil)

            var two = recommendation
            two.addressees = ["home-office", "acpo"]
            let answered = RecommendationResponse(
                addressee: "home-office", decision: .accepted, reasons: nil, by: UUID(), at: Fixture.at(0))
            let responses = ReminderItem.responses(two, responses: [answered], period: .standard)
            #expect(responses.map(\.item) == ["prevent-2009/national/1 acpo"])
            #expect(responses.map(\.due) == [Fixture.date("2009-08-19")])
            two.publishedOn = nil
            #expect(ReminderItem.responses(two, responses: [], period: .standard).isEmpty)

            let member = Fixture.actor(.organisationMember, member: true)
            var action = try ActionPlanLifecycle.create(
                id: UUID(), recommendation: recommendation.reference, organisation: "home-office", text: "Agree the allocation",
                due: Fixture.date("2009-12-31"), actor: member, at: Fixture.at(0))
            #expect(ReminderItem.action(action)?.recipients == [.organisation("home-office")])
            action = try ActionPlanLifecycle.apply(
                .allocate(owner: member.userID, ownerIsAddresseeMember: true, comment: "Mine"), to: action, actor: member, at: Fixture.at(1)
            )
            #expect(ReminderItem.action(action)?.recipients == [.user(member.userID)])
            action = try ActionPlanLifecycle.apply(
                .submitForSignOff(comment: "Agreed", evidence: ["e"]), to: action, actor: member, at: Fixture.at(2))
            #expect(ReminderItem.action(action) == nil)
        }

        /// Runs at random instants over two months, stamps carried from run to run: no reminder
        /// is stamped twice, every one sent falls in its own run's window, at most one per item
        /// a run, and (gaps under the catch-up) every reminder in the span is dealt with.
        @Test func runsAtRandomInstantsDealWithEachReminderExactlyOnce() async throws {
            let policy = try ReminderPolicy(
                daysBefore: [30, 7, 1], daysOverdue: [1, 14], hour: 9, minute: 0, zone: ReminderPolicy.londonZone, catchUpHours: 72)
            let start = Fixture.instant("2025-03-01T00:00:00Z")
            let input = Gen.int(in: 0...120).array(of: 1...30)
            await propertyCheck(count: 60, input: input, Gen.int(in: 1...71).array(of: 10...80)) { dueOffsets, gaps in
                let items = dueOffsets.enumerated().map { index, days in
                    action("a\(index)", due: Fixture.date("2025-02-15").adding(days: days).description)
                }
                var stamped: Set<ReminderStamp> = []
                var lastRun: Date?
                var now = start
                var firstFrom: Date?
                for gap in gaps {
                    now = now.addingTimeInterval(Double(gap) * 3600)
                    let run = ReminderPlanner.plan(items: items, policy: policy, now: now, lastRun: lastRun, stamped: stamped)
                    firstFrom = firstFrom ?? run.from
                    for reminder in run.toSend + run.passedOver {
                        #expect(reminder.scheduled <= now && (lastRun.map { reminder.scheduled > $0 } ?? (reminder.scheduled >= run.from)))
                        #expect(stamped.insert(reminder.stamp).inserted, "stamped twice: \(reminder.stamp)")
                    }
                    #expect(Set(run.toSend.map(\.item.item)).count == run.toSend.count, "one reminder per item a run")
                    lastRun = now
                }
                // Every reminder scheduled in the whole span was dealt with, none outside it.
                var expected: Set<ReminderStamp> = []
                for item in items {
                    for trigger in policy.triggers {
                        let at = policy.sendInstant(for: trigger, due: item.due)
                        if let firstFrom, at >= firstFrom, at <= now {
                            expected.insert(ReminderStamp(subject: item.subject, item: item.item, trigger: trigger, due: item.due))
                        }
                    }
                }
                #expect(stamped == expected)
            }
        }
    }
}
