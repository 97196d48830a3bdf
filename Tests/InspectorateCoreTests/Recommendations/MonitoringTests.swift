import Foundation
import Testing

@testable import InspectorateCore

extension Recommendations {
    @Suite("Monitoring stages")
    struct MonitoringTests {
        let lead = Fixture.principal(.leadInspector)
        let ladder = MonitoringLadder.performance2009

        func start(_ stage: String = "stage-1", on date: String = "2009-04-01") throws -> MonitoringHistory {
            try MonitoringHistory(ladder: ladder, stage: stage, entered: Fixture.date(date), reason: "Start of the process", by: nil)
        }

        @Test func the2009LadderAndTodaysAreData() {
            #expect(ladder.stages.map(\.code) == ["stage-1", "stage-2", "stage-3", "stage-4", "stage-5"])
            #expect(ladder.stages.map(\.rank) == [1, 2, 3, 4, 5])
            #expect(ladder.stages.filter(\.requiresDeadline).map(\.code) == ["stage-4"])
            #expect(ladder.stage("stage-5")?.name == "Stage 5: referral to the Home Secretary")
            #expect(MonitoringLadder.scanEngage.stages.map(\.code) == ["scan", "engage"])
        }

        @Test func aMoveKeepsEntryAndExitDatesAndItsReason() throws {
            var history = try start()
            history = try history.moving(
                to: "stage-2", on: Fixture.date("2009-10-01"), reason: "Two quarters below peers", by: lead, ladder: ladder)
            history = try history.moving(
                to: "stage-4", on: Fixture.date("2010-01-15"), reason: "No convincing plan", by: lead, deadline: Fixture.date("2010-07-15"),
                ladder: ladder)
            #expect(history.periods.map(\.stage) == ["stage-1", "stage-2", "stage-4"])
            #expect(history.periods.map(\.entered) == ["2009-04-01", "2009-10-01", "2010-01-15"].map(Fixture.date))
            #expect(history.periods.map(\.exited) == [Fixture.date("2009-10-01"), Fixture.date("2010-01-15"), nil])
            #expect(history.current.reason == "No convincing plan" && history.current.by == lead.userID)
            #expect(history.current.deadline == Fixture.date("2010-07-15"))
            #expect(history.period(on: Fixture.date("2009-09-30"))?.stage == "stage-1")
            #expect(history.period(on: Fixture.date("2009-10-01"))?.stage == "stage-2")
            #expect(history.period(on: Fixture.date("2009-03-31")) == nil)
            #expect(try MonitoringHistory(ladder: history.ladder, periods: history.periods) == history)
        }

        @Test func aMoveNeedsAReasonAStageOfTheLadderAndADeadlineForAPublicInterestLetter() throws {
            let history = try start()
            do {
                _ = try history.moving(to: "stage-4", on: Fixture.date("2009-03-01"), reason: " ", by: lead, ladder: ladder)
                Issue.record("a bad move was accepted")
            } catch let errors as ValidationErrors {
                #expect(errors.errors.map(\.field) == ["reason", "date", "deadline"])
            }
            #expect(throws: ValidationErrors.self) {
                try history.moving(to: "stage-9", on: Fixture.date("2009-05-01"), reason: "x", by: lead, ladder: ladder)
            }
            #expect(throws: ValidationErrors.self) {
                try history.moving(to: "stage-1", on: Fixture.date("2009-05-01"), reason: "x", by: lead, ladder: ladder)
            }
            #expect(throws: ValidationErrors.self) {
                try history.moving(
                    to: "stage-4", on: Fixture.date("2009-05-01"), reason: "x", by: lead, deadline: Fixture.date("2009-05-01"),
                    ladder: ladder)
            }
            #expect(throws: ValidationErrors.self) {
                try history.moving(to: "engage", on: Fixture.date("2009-05-01"), reason: "x", by: lead, ladder: .scanEngage)
            }
        }

        @Test func onlyLeadInspectorsMoveStages() throws {
            let history = try start()
            for role in [Role.inspector, .analyst, .administrator, .organisationMember, .partner] {
                #expect(throws: DomainError.forbidden(reason: "Monitoring stages are moved by lead inspectors", field: "stage")) {
                    try history.moving(
                        to: "stage-2", on: Fixture.date("2009-05-01"), reason: "x", by: Fixture.principal(role), ladder: ladder)
                }
            }
        }

        @Test func theListOfOrganisationsInEachStageOnADay() throws {
            let kent = try start().moving(to: "stage-2", on: Fixture.date("2009-10-01"), reason: "Below peers", by: lead, ladder: ladder)
            let essex = try start()
            let later = try start(on: "2010-01-01")
            let today = try MonitoringHistory(
                ladder: .scanEngage, stage: "engage", entered: Fixture.date("2009-04-01"), reason: "x", by: nil)
            let histories = ["kent": kent, "essex": essex, "dorset": later, "surrey": today]
            let roster = MonitoringRoster.stages(on: Fixture.date("2009-12-01"), ladder: ladder, histories: histories)
            #expect(roster.map(\.stage.code) == ["stage-1", "stage-2", "stage-3", "stage-4", "stage-5"])
            #expect(roster.map { $0.organisations.map(\.code) } == [["essex"], ["kent"], [], [], []])
            #expect(roster[1].organisations.first?.since == Fixture.date("2009-10-01"))
        }

        @Test func storedHistoriesMustJoinUp() {
            let first = MonitoringPeriod(
                stage: "scan", entered: Fixture.date("2020-01-01"), exited: Fixture.date("2020-06-01"), reason: "x", by: nil, deadline: nil)
            let gap = MonitoringPeriod(
                stage: "engage", entered: Fixture.date("2020-07-01"), exited: nil, reason: "y", by: nil, deadline: nil)
            #expect(throws: FieldError.self) { try MonitoringHistory(ladder: "scan-engage", periods: [first, gap]) }
            #expect(throws: FieldError.self) { try MonitoringHistory(ladder: "scan-engage", periods: [first]) }
        }
    }
}
