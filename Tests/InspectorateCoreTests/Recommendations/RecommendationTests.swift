import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

extension Recommendations {
    @Suite("Recommendation references")
    struct RecommendationReferenceTests {
        @Test func writtenAndReadBack() throws {
            let national = try RecommendationReference(cycle: "prevent-2009", scope: .national, number: 4)
            #expect(national.description == "prevent-2009/national/4")
            #expect(try RecommendationReference.parse("prevent-2009/national/4") == national)
            let kent = try RecommendationReference.parse(" peel-2023/kent/12 ")
            #expect(kent.cycle == "peel-2023" && kent.scope == .organisation("kent") && kent.number == 12)
            #expect(kent.next?.description == "peel-2023/kent/13")
        }

        @Test(arguments: [
            "prevent-2009/national", "prevent-2009/national/4/1", "prevent-2009/national/04", "prevent-2009/national/0",
            "prevent-2009/national/10000", "prevent-2009/national/x", "Prevent-2009/national/1", "prevent-2009/Kent/1",
            "/national/1", "prevent-2009//1", "prevent-2009/kent--x/1", "prevent-2009/national/-1", "prevent-2009/national/+1",
        ])
        func badReferencesAreRefusedOnTheirField(text: String) {
            #expect(throws: FieldError.self) { try RecommendationReference.parse(text, field: "superseded_by") }
            do {
                _ = try RecommendationReference.parse(text, field: "superseded_by")
            } catch let error as FieldError {
                #expect(error.field == "superseded_by")
            } catch { Issue.record("unexpected \(error)") }
        }

        @Test func nationalIsNotAnOrganisationCode() {
            #expect(throws: FieldError.self) {
                try RecommendationReference(cycle: "peel-2023", scope: .organisation("national"), number: 1)
            }
        }

        @Test func orderedAsPeopleNumberThem() {
            let texts = ["peel-2023/kent/10", "peel-2023/kent/2", "peel-2023/national/3", "peel-2022/kent/1", "peel-2023/essex/1"]
            #expect(
                texts.map(Fixture.reference).sorted().map(\.description) == [
                    "peel-2022/kent/1", "peel-2023/national/3", "peel-2023/essex/1", "peel-2023/kent/2", "peel-2023/kent/10",
                ])
        }

        @Test func anyReferenceRoundTripsThroughTextAndJSON() async {
            let letters = Array("abcxyz019")
            let code = Gen.int(in: 0...(letters.count - 1)).array(of: 1...6).array(of: 1...3)
            await propertyCheck(count: 200, input: code, code, Gen.bool, Gen.int(in: 1...9_999)) {
                cycleParts, organisationParts, national, number in
                let cycle = cycleParts.map { String($0.map { letters[$0] }) }.joined(separator: "-")
                let organisation = organisationParts.map { String($0.map { letters[$0] }) }.joined(separator: "-")
                guard organisation != "national" else { return }
                let reference = try RecommendationReference(
                    cycle: cycle, scope: national ? .national : .organisation(organisation), number: number)
                #expect(try RecommendationReference.parse(reference.description) == reference)
                let data = try JSONEncoder().encode(reference)
                #expect(try JSONDecoder().decode(RecommendationReference.self, from: data) == reference)
                #expect(String(decoding: data, as: UTF8.self) == "\"\(reference.description.replacingOccurrences(of: "/", with: "\\/"))\"")
            }
        }
    }

    @Suite("Due dates and responses")
    struct DueDateAndResponseTests {
        let lead = Fixture.principal(.leadInspector)

        func recommendation() throws -> Recommendation {
            let draft = RecommendationDraft(
                reference: Fixture.reference("peel-2027/kent/1"), text: "Publish a Prevent action plan", addressees: ["kent"],
                due: Fixture.date("2027-09-30"), criteria: ["leadership-plan"], marking: Marking(level: "OFFICIAL"))
            return try Recommendation.make(from: draft, author: UUID(), at: Fixture.at(0), isKnownOrganisation: { $0 == "kent" })
        }

        @Test func aChangeOfDueDateNeedsAReasonAndKeepsTheOldDate() throws {
            let original = try recommendation()
            #expect(throws: FieldError("reason", "Say why the due date moves from 2027-09-30 to 2027-12-31; the old date is kept")) {
                try original.changingDue(to: Fixture.date("2027-12-31"), reason: " ", by: lead, at: Fixture.at(1))
            }
            let moved = try original.changingDue(
                to: Fixture.date("2027-12-31"), reason: "Depends on the council's new board", by: lead, at: Fixture.at(1))
            #expect(moved.due.current == Fixture.date("2027-12-31"))
            #expect(moved.due.original == Fixture.date("2027-09-30"))
            #expect(moved.due.versions.map(\.reason) == [nil, "Depends on the council's new board"])
            #expect(moved.due.slipDays == 92)
            #expect(moved.due.date(at: Fixture.at(0.5)) == Fixture.date("2027-09-30"))
            #expect(throws: FieldError.self) {
                try moved.changingDue(to: Fixture.date("2027-12-31"), reason: "Again", by: lead, at: Fixture.at(2))
            }
            #expect(throws: FieldError.self) {
                try moved.changingDue(to: Fixture.date("2028-01-31"), reason: "Earlier", by: lead, at: Fixture.at(0))
            }
        }

        @Test func onlyALeadInspectorMovesADueDate() throws {
            let original = try recommendation()
            for role in [Role.inspector, .organisationMember, .partner, .analyst, .administrator] {
                #expect(throws: DomainError.self) {
                    try original.changingDue(
                        to: Fixture.date("2027-12-31"), reason: "Please", by: Fixture.principal(role), at: Fixture.at(1))
                }
            }
        }

        @Test func storedHistoriesWithoutReasonsAreRefused() throws {
            let first = DueDateVersion(date: Fixture.date("2027-09-30"), setAt: Fixture.at(0), setBy: nil, reason: nil)
            let second = DueDateVersion(date: Fixture.date("2027-10-30"), setAt: Fixture.at(1), setBy: nil, reason: "")
            #expect(throws: FieldError.self) { try DueDateHistory(versions: [first, second]) }
            #expect(throws: FieldError.self) { try DueDateHistory(versions: []) }
            let data = Data(#"[]"#.utf8)
            #expect(throws: (any Error).self) { try JSONDecoder().decode(DueDateHistory.self, from: data) }
        }

        @Test func draftsNeedTextAnAddresseeAndADueDate() {
            let draft = RecommendationDraft(
                reference: Fixture.reference("peel-2027/kent/1"), text: " ", addressees: ["kent", "kent", "nowhere", " "], due: nil,
                criteria: ["leadership-plan", "made-up"], marking: Marking(level: "OFFICIAL"))
            let problems = Recommendation.problems(in: draft, isKnownOrganisation: { $0 == "kent" }, criteria: ["leadership-plan"])
            #expect(
                problems == [
                    FieldError("text", "Enter what is recommended"),
                    FieldError("addressees", "kent is named more than once"),
                    FieldError("addressees", "No organisation has the code nowhere"),
                    FieldError("due", "Enter the due date"),
                    FieldError("criteria", "made-up is not a criterion of this cycle's framework"),
                ])
            var none = draft
            none.addressees = []
            #expect(
                Recommendation.problems(in: none, isKnownOrganisation: { _ in true }).contains(
                    FieldError("addressees", "Name at least one addressee: a force, several forces or a national body")))
            #expect(throws: ValidationErrors.self) {
                try Recommendation.make(from: draft, author: nil, at: Fixture.at(0), isKnownOrganisation: { _ in true })
            }
        }

        @Test func theResponseIsDueFiftySixDaysAfterPublication() throws {
            #expect(ResponsePeriod.standard.responseDue(publishedOn: Fixture.date("2009-06-24")) == Fixture.date("2009-08-19"))
            #expect(try ResponsePeriod(days: 28).responseDue(publishedOn: Fixture.date("2027-02-14")) == Fixture.date("2027-03-14"))
            #expect(throws: FieldError.self) { try ResponsePeriod(days: 0) }
        }

        @Test func aResponseOnTheDueDayIsOnTimeInLondonTime() {
            let due = Fixture.date("2027-08-19")
            let response = { (at: String) in
                RecommendationResponse(addressee: "kent", decision: .accepted, reasons: nil, by: UUID(), at: Fixture.instant(at))
            }
            // 00:30 BST on 20 August is 23:30 UTC on the 19th: late, though UTC says otherwise.
            #expect(response("2027-08-19T23:30:00Z").isLate(responseDue: due, in: ReminderPolicy.londonZone))
            #expect(!response("2027-08-19T22:59:59Z").isLate(responseDue: due, in: ReminderPolicy.londonZone))
        }

        @Test func responsesAreTheAddresseesAndReasonsAreRequiredForLessThanAcceptance() throws {
            let record = {
                (
                    decision: ResponseDecision, reasons: String?, actor: RecommendationActor, existing: [RecommendationResponse]
                ) throws(DomainError) in
                try ResponseRules.record(
                    decision, reasons: reasons, addressee: "kent", actor: actor, at: Fixture.at(0), addressees: ["kent", "essex"],
                    publishedOn: Fixture.date("2027-01-04"), existing: existing)
            }
            #expect(throws: DomainError.forbidden(reason: "Responses are recorded by organisation members and partners of an addressee")) {
                try record(.accepted, nil, Fixture.lead, [])
            }
            #expect(
                throws: DomainError.refused(
                    field: "reasons", message: "Not accepted needs the reasons", needed: ["the reasons for the decision"])
            ) {
                try record(.notAccepted, "  ", Fixture.member, [])
            }
            #expect(throws: DomainError.self) { try record(.partlyAccepted, nil, Fixture.member, []) }
            let partly = try record(.partlyAccepted, " The budget covers two BCUs ", Fixture.member, [])
            #expect(partly.reasons == "The budget covers two BCUs" && partly.by == Fixture.member.userID)
            #expect(throws: DomainError.self) { try record(.accepted, nil, Fixture.member, [partly]) }
            #expect(ResponseRules.awaiting(addressees: ["kent", "essex"], responses: [partly]) == ["essex"])
            #expect(throws: DomainError.self) {
                try ResponseRules.record(
                    .accepted, reasons: nil, addressee: "kent", actor: Fixture.member, at: Fixture.at(0), addressees: ["kent"],
                    publishedOn: nil,
                    existing: [])
            }
        }
    }
}
