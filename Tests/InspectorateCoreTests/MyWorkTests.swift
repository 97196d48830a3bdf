import Foundation
import Testing

@testable import InspectorateCore

@Suite("My work")
struct MyWorkTests {
    let kent = UUID()
    let surrey = UUID()
    let dates = CycleDates(
        selfAssessmentDue: "2009-02-27", fieldworkStart: "2009-03-02", fieldworkEnd: "2009-04-30", moderationDue: "2009-05-15",
        publication: "2009-06-24")

    func candidate(_ id: UUID, _ code: String, own: AssessmentStatus?, inspection: AssessmentStatus?, tier: Bool) -> WorkCandidate {
        WorkCandidate(
            cycleCode: "prevent-2009", cycleTitle: "Prevent 2009", organisationID: id, organisationCode: code,
            organisationName: code.capitalized,
            selfAssessment: own, inspection: inspection, tierSet: tier, dates: dates)
    }

    func person(_ role: Role, home: UUID? = nil) -> Principal {
        Principal(userID: UUID(), role: role, homeOrganisationID: home, vetting: Vetting(level: .sc, granted: nil, expires: nil))
    }

    var candidates: [WorkCandidate] {
        [
            candidate(kent, "kent", own: nil, inspection: .submitted, tier: false),
            candidate(surrey, "surrey", own: .submitted, inspection: .moderated, tier: true),
        ]
    }

    func summary(_ items: [WorkItem]) -> [String] {
        items.map { "\($0.kind.rawValue) \($0.organisationCode) \($0.assessment?.rawValue ?? "-") \($0.due)" }
    }

    @Test func aForceMemberIsAskedForItsOwnSelfAssessmentOnly() {
        #expect(
            summary(MyWork.items(for: person(.organisationMember, home: kent), candidates: candidates)) == ["complete kent self 2009-02-27"]
        )
        #expect(MyWork.items(for: person(.organisationMember, home: surrey), candidates: candidates).isEmpty, "Surrey's is submitted")
        #expect(summary(MyWork.items(for: person(.partner, home: kent), candidates: candidates)) == ["complete kent self 2009-02-27"])
    }

    @Test func aLeadInspectorModeratesAndFinalisesAndSetsTiers() {
        #expect(
            summary(MyWork.items(for: person(.leadInspector), candidates: candidates)) == [
                "set_tier kent - 2009-03-02", "moderate kent inspection 2009-05-15", "moderate surrey self 2009-05-15",
                "finalise surrey inspection 2009-06-24",
            ])
    }

    @Test func inspectorsCompleteDraftInspectionsAndAnalystsSetTiers() {
        let drafts = [candidate(kent, "kent", own: .final, inspection: nil, tier: true)]
        #expect(summary(MyWork.items(for: person(.inspector), candidates: drafts)) == ["complete kent inspection 2009-04-30"])
        #expect(summary(MyWork.items(for: person(.analyst), candidates: candidates)) == ["set_tier kent - 2009-03-02"])
        #expect(MyWork.items(for: person(.administrator), candidates: candidates).isEmpty)
    }
}
