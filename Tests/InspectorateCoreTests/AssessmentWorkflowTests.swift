import Foundation
import Testing

@testable import InspectorateCore

/// The workflow as a pure state machine: state × role × vetting against the narratives'
/// marking gives allowed, or refused with a reason that names what is needed. The expected
/// tables are written out by hand from the rule in issue 9 (draft: the assessment's authors;
/// submitted and moderated: a lead inspector, with a reason; final: nobody), not derived
/// from the code under test.
@Suite("Assessment workflow")
struct AssessmentWorkflowTests {
    let assessed = UUID()
    let elsewhere = UUID()
    let readable = NarrativeClearance(readable: true, marking: "OFFICIAL")
    let unreadable = NarrativeClearance(readable: false, marking: "SECRET")

    func person(_ role: Role, ofAssessed: Bool = true) -> Principal {
        let home: UUID? =
            switch role {
            case .organisationMember, .partner: ofAssessed ? assessed : elsewhere
            default: nil
            }
        return Principal(userID: UUID(), role: role, homeOrganisationID: home, vetting: Vetting(level: .sc, granted: nil, expires: nil))
    }

    func state(_ kind: AssessmentKind, _ status: AssessmentStatus, cycle: CycleStatus = .open) -> AssessmentState {
        AssessmentState(kind: kind, status: status, organisationID: assessed, cycle: cycle)
    }

    /// Who may change levels, by "status/kind": the assessed organisation's own people count
    /// only for their own body.
    static let judges: [String: Set<Role>] = [
        "draft/self": [.organisationMember, .partner],
        "draft/inspection": [.inspector, .leadInspector],
        "submitted/self": [.leadInspector],
        "submitted/inspection": [.leadInspector],
        "moderated/self": [.leadInspector],
        "moderated/inspection": [.leadInspector],
        "final/self": [],
        "final/inspection": [],
    ]

    @Test func whoMayChangeLevelsInEachState() {
        for kind in AssessmentKind.allCases {
            for status in AssessmentStatus.allCases {
                for role in Role.allCases {
                    let allowed = Self.judges["\(status.rawValue)/\(kind.rawValue)"]!.contains(role)
                    let refusal = AssessmentWorkflow.refusal(
                        of: .judge(text: false, reason: "moderation"), on: state(kind, status), by: person(role), narratives: readable)
                    #expect((refusal == nil) == allowed, "\(role) \(status) \(kind): \(refusal.map { "\($0)" } ?? "allowed")")
                }
            }
        }
    }

    @Test func anotherOrganisationsPeopleNeverWrite() {
        for role in [Role.organisationMember, .partner] {
            for status in AssessmentStatus.allCases {
                let refusal = AssessmentWorkflow.refusal(
                    of: .judge(text: false, reason: "x"), on: state(.selfAssessment, status), by: person(role, ofAssessed: false),
                    narratives: readable)
                #expect(refusal != nil, "\(role) \(status)")
            }
        }
    }

    @Test func refusalsSayWhatRoleOrStateIsNeeded() {
        let submitted = AssessmentWorkflow.refusal(
            of: .judge(text: false, reason: "x"), on: state(.inspection, .submitted), by: person(.inspector), narratives: readable)
        #expect("\(submitted!)".contains("only a lead inspector may change it now"))
        let final = AssessmentWorkflow.refusal(
            of: .judge(text: false, reason: "x"), on: state(.inspection, .final), by: person(.leadInspector), narratives: readable)
        #expect("\(final!)".contains("final and locked"))
        let draftSelf = AssessmentWorkflow.refusal(
            of: .judge(text: false, reason: nil), on: state(.selfAssessment, .draft), by: person(.inspector), narratives: readable)
        #expect("\(draftSelf!)".contains("assessed organisation's own people"))
        let vetting = AssessmentWorkflow.refusal(
            of: .judge(text: true, reason: nil), on: state(.inspection, .draft), by: person(.inspector), narratives: unreadable)
        #expect(
            vetting
                == .forbidden(
                    reason:
                        "The narratives are marked SECRET; your vetting and need-to-know groups do not cover it, so you cannot change them",
                    field: "narrative"))
    }

    /// An organisation's own people cannot see its inspection before it is final: whatever
    /// they try, the answer is "not found", never the inspection's state.
    @Test func anUnpublishedInspectionIsNotFoundToTheInspected() {
        for role in [Role.organisationMember, .partner] {
            for status in [AssessmentStatus.draft, .submitted, .moderated] {
                for action in [
                    AssessmentAction.judge(text: false, reason: "x"), .move(to: .submitted, reason: "x"), .remark(lowering: false),
                    .attachEvidence(reason: "x"),
                ] {
                    let refusal = AssessmentWorkflow.refusal(
                        of: action, on: state(.inspection, status), by: person(role), narratives: readable)
                    #expect(refusal == .notFound("inspection"), "\(role) \(status) \(action)")
                }
            }
        }
    }

    @Test func aChangeAfterSubmissionNeedsAReason() {
        for status in [AssessmentStatus.submitted, .moderated] {
            for reason in [nil, "", "  \n"] {
                let refusal = AssessmentWorkflow.refusal(
                    of: .judge(text: false, reason: reason), on: state(.inspection, status), by: person(.leadInspector),
                    narratives: readable)
                #expect(
                    refusal
                        == .incomplete(field: "reason", message: "Give the reason for changing a judgement after submission", missing: []))
            }
        }
        #expect(
            AssessmentWorkflow.refusal(
                of: .judge(text: false, reason: nil), on: state(.inspection, .draft), by: person(.inspector), narratives: readable) == nil,
            "a draft needs no reason")
    }

    @Test func textAboveTheWritersVettingIsNeitherWrittenNorRemarked() {
        #expect(
            AssessmentWorkflow.refusal(
                of: .judge(text: true, reason: nil), on: state(.inspection, .draft), by: person(.inspector), narratives: unreadable) != nil)
        // Levels alone may still be judged: the narrative is left as it is, unseen.
        #expect(
            AssessmentWorkflow.refusal(
                of: .judge(text: false, reason: nil), on: state(.inspection, .draft), by: person(.inspector), narratives: unreadable) == nil
        )
        #expect(
            AssessmentWorkflow.refusal(
                of: .remark(lowering: false), on: state(.inspection, .draft), by: person(.leadInspector), narratives: unreadable)
                != nil)
    }

    /// Allowed moves, by "from/kind/role": everything else is refused.
    static let moves: [String: Set<AssessmentStatus>] = [
        "draft/self/organisation_member": [.submitted],
        "draft/self/partner": [.submitted],
        "draft/inspection/inspector": [.submitted],
        "draft/inspection/lead_inspector": [.submitted],
        "submitted/self/lead_inspector": [.moderated, .draft],
        "submitted/inspection/lead_inspector": [.moderated, .draft],
        "moderated/self/lead_inspector": [.final, .submitted],
        "moderated/inspection/lead_inspector": [.final, .submitted],
    ]

    @Test func whoMayMoveAnAssessmentWhere() {
        for kind in AssessmentKind.allCases {
            for from in AssessmentStatus.allCases {
                for role in Role.allCases {
                    let allowed = Self.moves["\(from.rawValue)/\(kind.rawValue)/\(role.rawValue)"] ?? []
                    for target in AssessmentStatus.allCases where target != from {
                        let refusal = AssessmentWorkflow.refusal(
                            of: .move(to: target, reason: "sent back for more evidence"), on: state(kind, from), by: person(role),
                            narratives: readable)
                        #expect((refusal == nil) == allowed.contains(target), "\(role) \(kind) \(from) → \(target)")
                    }
                }
            }
        }
    }

    @Test func sendingBackNeedsAReason() {
        let refusal = AssessmentWorkflow.refusal(
            of: .move(to: .draft, reason: " "), on: state(.inspection, .submitted), by: person(.leadInspector), narratives: readable)
        #expect(refusal == .incomplete(field: "reason", message: "Give the reason for sending the inspection back", missing: []))
    }

    @Test func aClosedCycleTakesNoChangeFromAnyone() {
        let actions: [AssessmentAction] = [
            .judge(text: false, reason: "x"), .judge(text: true, reason: "x"), .move(to: .submitted, reason: "x"), .remark(lowering: false),
            .attachEvidence(reason: "x"),
            .carryForward,
        ]
        for role in Role.allCases {
            for action in actions {
                let kind: AssessmentKind = role == .organisationMember || role == .partner ? .selfAssessment : .inspection
                let refusal = AssessmentWorkflow.refusal(
                    of: action, on: state(kind, .draft, cycle: .closed), by: person(role), narratives: readable)
                guard case .refused(let field, _, _) = refusal else {
                    Issue.record("\(role) \(action): \(String(describing: refusal))")
                    continue
                }
                #expect(field == "cycle")
            }
        }
    }

    @Test func leadInspectorsRaiseAnyMarkingButLowerOnlyWhatTheyMayWrite() {
        let raise = AssessmentWorkflow.refusal(
            of: .remark(lowering: false), on: state(.selfAssessment, .draft), by: person(.leadInspector), narratives: readable)
        #expect(raise == nil, "protecting a force's draft is always allowed")
        let lower = AssessmentWorkflow.refusal(
            of: .remark(lowering: true), on: state(.selfAssessment, .draft), by: person(.leadInspector), narratives: readable)
        #expect(lower != nil, "widening who reads a draft is for its writers")
        #expect(
            AssessmentWorkflow.refusal(
                of: .remark(lowering: true), on: state(.selfAssessment, .draft), by: person(.organisationMember), narratives: readable)
                == nil)
        #expect(
            AssessmentWorkflow.refusal(
                of: .remark(lowering: true), on: state(.inspection, .submitted), by: person(.leadInspector), narratives: readable) == nil)
    }

    @Test func carryForwardIsTheInspectoratesAndOnlyIntoADraft() {
        for role in Role.allCases {
            let refusal = AssessmentWorkflow.refusal(
                of: .carryForward, on: state(.inspection, .draft), by: person(role), narratives: unreadable)
            #expect((refusal == nil) == (role == .administrator || role == .leadInspector), "\(role)")
        }
        #expect(
            AssessmentWorkflow.refusal(
                of: .carryForward, on: state(.inspection, .submitted), by: person(.leadInspector), narratives: readable)
                != nil)
    }

    @Test func evidenceIsAttachedByThoseWhoMayWrite() {
        for status in AssessmentStatus.allCases {
            for role in Role.allCases {
                let refusal = AssessmentWorkflow.refusal(
                    of: .attachEvidence(reason: "new evidence"), on: state(.inspection, status), by: person(role), narratives: readable)
                #expect((refusal == nil) == Self.judges["\(status.rawValue)/inspection"]!.contains(role), "\(role) \(status)")
            }
        }
    }
}
