import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

extension Recommendations {
    @Suite("Findings")
    struct FindingTests {
        let inspector = Fixture.principal(.inspector)
        let lead = Fixture.principal(.leadInspector)

        func finding(_ kind: FindingKind, recommendations: [String] = []) -> Finding {
            Finding(
                id: UUID(), cycle: "peel-2027", kind: kind, organisation: "kent", title: "Partnership structures",
                text: "The force has no joint structure with the council.", criteria: ["partnership-structures"], areas: [],
                marking: Marking(level: "OFFICIAL"), authors: [inspector.userID], recommendations: recommendations.map(Fixture.reference))
        }

        @Test func aCauseOfConcernIsNotSignedOffWithoutARecommendation() {
            for kind in [FindingKind.causeOfConcern, .acceleratedCauseOfConcern] {
                do {
                    _ = try FindingRules.signOff(finding(kind), by: lead, at: Fixture.at(0))
                    Issue.record("signed off without a recommendation")
                } catch let errors as ValidationErrors {
                    #expect(errors.errors == [FieldError("recommendations", "\(kind.displayName) carries at least one recommendation")])
                } catch { Issue.record("unexpected \(error)") }
            }
        }

        @Test func aCauseOfConcernWithARecommendationIsSignedOffAndLocked() throws {
            let signed = try FindingRules.signOff(
                finding(.causeOfConcern, recommendations: ["peel-2027/kent/1"]), by: lead, at: Fixture.at(1))
            #expect(signed.signOff == FindingSignOff(by: lead.userID, at: Fixture.at(1)))
            #expect(throws: DomainError.self) { try FindingRules.checkCanEdit(signed, principal: inspector) }
            #expect(throws: DomainError.self) { try FindingRules.signOff(signed, by: lead, at: Fixture.at(2)) }
        }

        @Test func areasForImprovementAndNotablePracticeCarryNoRecommendations() throws {
            #expect(FindingRules.problems(in: finding(.areaForImprovement)).isEmpty)
            #expect(
                FindingRules.problems(in: finding(.notablePractice, recommendations: ["peel-2027/kent/1"])).map(\.field) == [
                    "recommendations"
                ])
        }

        @Test func writtenByInspectorsSignedOffByLeadInspectors() {
            for role in Role.allCases {
                let principal = Fixture.principal(role)
                let writes = (try? FindingRules.checkCanEdit(finding(.areaForImprovement), principal: principal)) != nil
                #expect(writes == (role == .inspector || role == .leadInspector))
                let signs = (try? FindingRules.signOff(finding(.areaForImprovement), by: principal, at: Fixture.at(0))) != nil
                #expect(signs == (role == .leadInspector))
            }
        }

        @Test func linksAndMarkingAreCheckedAgainstTheFrameworkAndScheme() {
            var bad = finding(.areaForImprovement)
            bad.criteria = ["made-up"]
            bad.areas = ["nowhere"]
            bad.title = ""
            bad.marking = Marking(level: "PURPLE")
            let framework = Framework(
                code: "mini", version: "1", title: "Mini", source: nil, publisher: nil, scale: [], rollup: .lowest,
                areas: [Area(code: "a", title: "A", description: nil, rollup: nil, weight: 1, criteria: [])], tiers: [])
            let scheme = MarkingScheme(
                code: "gsc", title: "Government Security Classifications", source: "test",
                levels: [MarkingScheme.Level(code: "OFFICIAL", name: "Official", description: "", minimumVetting: .none)], defaults: [:])
            #expect(
                FindingRules.problems(in: bad, framework: framework, scheme: scheme).map(\.field) == [
                    "title", "criteria", "areas", "marking",
                ])
            bad.criteria = []
            bad.areas = []
            #expect(FindingRules.problems(in: bad).map(\.field) == ["title", "criteria"])
        }
    }

    @Suite("Action plans")
    struct ActionPlanTests {
        let owner = Fixture.actor(.organisationMember, member: true)
        let colleague = Fixture.actor(.partner, member: true)

        func newAction() throws -> PlanAction {
            try ActionPlanLifecycle.create(
                id: UUID(), recommendation: Fixture.reference("peel-2027/kent/1"), organisation: "kent",
                text: "Set up a joint Prevent board",
                due: Fixture.date("2027-06-30"), actor: colleague, at: Fixture.at(0))
        }

        func apply(
            _ command: ActionCommand, _ action: PlanAction, by actor: RecommendationActor, at hours: Double
        ) throws(DomainError) -> PlanAction {
            try ActionPlanLifecycle.apply(command, to: action, actor: actor, at: Fixture.at(hours))
        }

        @Test func fromAllocationToClosedWithEveryUpdateDated() throws {
            var action = try newAction()
            #expect(action.status == .awaitingAllocation)
            action = try apply(
                .allocate(owner: owner.userID, ownerIsAddresseeMember: true, comment: "To the Prevent lead"), action, by: colleague, at: 1)
            action = try apply(.update(comment: "Terms of reference drafted", evidence: ["evidence/7"]), action, by: owner, at: 2)
            action = try apply(.submitForSignOff(comment: "Board met on 3 May", evidence: ["evidence/8"]), action, by: owner, at: 3)
            action = try apply(.signOff(comment: "Minutes seen"), action, by: colleague, at: 4)
            #expect(action.status == .closed)
            #expect(action.owner == owner.userID)
            #expect(action.updates.map(\.kind) == [.allocate, .update, .submitForSignOff, .signOff])
            #expect(action.updates.map(\.to) == [.inProgress, .inProgress, .pendingSignOff, .closed])
            #expect(action.updates.map(\.at) == [1, 2, 3, 4].map(Fixture.at))
            #expect(action.updates[2].evidence == ["evidence/8"])
            // Every move is one of the allowed edges.
            for update in action.updates {
                #expect(ActionPlanLifecycle.edges.contains { $0.from == update.from && $0.to == update.to && $0.command == update.kind })
            }
            #expect(ActionPlanLifecycle.availableCommands(for: action, actor: colleague).isEmpty)
        }

        @Test func completingNeedsACommentAndEvidence() throws {
            let action = try apply(
                .allocate(owner: owner.userID, ownerIsAddresseeMember: true, comment: "Yours"), try newAction(), by: colleague, at: 1)
            #expect(
                throws: DomainError.refused(
                    field: "evidence", message: "Completing an action needs evidence", needed: ["at least one evidence reference"])
            ) {
                try apply(.submitForSignOff(comment: "Done", evidence: []), action, by: owner, at: 2)
            }
            #expect(
                throws: DomainError.refused(
                    field: "comment", message: "Give a comment or reason; it is kept as a dated update", needed: ["a comment"])
            ) {
                try apply(.submitForSignOff(comment: "", evidence: ["evidence/1"]), action, by: owner, at: 2)
            }
        }

        @Test func nobodySignsOffTheirOwnAction() throws {
            var action = try apply(
                .allocate(owner: owner.userID, ownerIsAddresseeMember: true, comment: "Yours"), try newAction(), by: colleague, at: 1)
            action = try apply(.submitForSignOff(comment: "Done", evidence: ["e"]), action, by: owner, at: 2)
            #expect(throws: DomainError.self) { try apply(.signOff(comment: "Fine"), action, by: owner, at: 3) }
            #expect(ActionPlanLifecycle.availableCommands(for: action, actor: owner) == [.update, .changeDue])
            let returned = try apply(.returnToOwner(reason: "The minutes are not signed"), action, by: colleague, at: 3)
            #expect(returned.status == .inProgress)
        }

        @Test func theOwnerIsAUserOfTheAddressee() throws {
            let error = #expect(throws: DomainError.self) {
                try apply(
                    .allocate(owner: UUID(), ownerIsAddresseeMember: false, comment: "To the council"), try newAction(), by: colleague,
                    at: 1)
            }
            #expect(error?.field == "owner")
        }

        @Test func onlyTheAddresseesPeopleKeepThePlan() throws {
            let action = try newAction()
            for actor in [Fixture.lead, Fixture.verifier, Fixture.actor(.administrator), Fixture.actor(.organisationMember, member: false)]
            {
                let error = #expect(throws: DomainError.self) {
                    try apply(.update(comment: "Note", evidence: []), action, by: actor, at: 1)
                }
                #expect(error?.isForbidden == true)
            }
            #expect(throws: DomainError.self) {
                try ActionPlanLifecycle.create(
                    id: UUID(), recommendation: Fixture.reference("peel-2027/kent/1"), organisation: "kent", text: "x", due: nil,
                    actor: colleague,
                    at: Fixture.at(0))
            }
        }

        @Test func aMovedDueDateKeepsTheOldOneAndItsReason() throws {
            let action = try apply(
                .changeDue(to: Fixture.date("2027-08-31"), reason: "Council elections in May"), try newAction(), by: owner, at: 1)
            #expect(action.due.current == Fixture.date("2027-08-31") && action.due.original == Fixture.date("2027-06-30"))
            #expect(action.updates.last?.comment == "Council elections in May")
            let error = #expect(throws: DomainError.self) {
                try apply(.changeDue(to: Fixture.date("2027-08-31"), reason: "Same"), action, by: owner, at: 2)
            }
            #expect(error?.field == "due")
        }

        @Test func overdueUntilSubmitted() {
            let due = Fixture.date("2027-06-30")
            #expect(ActionStatus.inProgress.isOverdue(due: due, asOf: Fixture.date("2027-07-01")))
            #expect(!ActionStatus.pendingSignOff.isOverdue(due: due, asOf: Fixture.date("2027-07-01")))
            #expect(!ActionStatus.inProgress.isOverdue(due: due, asOf: due))
        }
    }
}

extension Recommendations {
    @Suite("Action plans, random sequences")
    struct ActionPlanPropertyTests {
        /// The allowed moves, written out by hand.
        static let allowed: Set<String> = [
            "awaiting_allocation>in_progress by allocate", "in_progress>in_progress by allocate",
            "awaiting_allocation>awaiting_allocation by update", "in_progress>in_progress by update",
            "pending_sign_off>pending_sign_off by update", "awaiting_allocation>awaiting_allocation by change_due",
            "in_progress>in_progress by change_due", "pending_sign_off>pending_sign_off by change_due",
            "in_progress>pending_sign_off by submit_for_sign_off", "pending_sign_off>closed by sign_off",
            "pending_sign_off>in_progress by return_to_owner",
        ]

        @Test func randomCommandsMoveOnlyAlongTheEdgesAndNobodyClosesTheirOwn() async throws {
            let people = (0..<3).map { _ in UUID() }
            let start = try ActionPlanLifecycle.create(
                id: UUID(), recommendation: Fixture.reference("peel-2027/kent/1"), organisation: "kent", text: "Set up a board",
                due: Fixture.date("2027-06-30"), actor: Fixture.actor(.organisationMember, member: true), at: Fixture.at(0))
            var closed = 0
            await propertyCheck(count: 300, input: Gen.int(in: 0...999).array(of: 6).array(of: 1...30)) { steps in
                var action = start
                for (index, n) in steps.enumerated() {
                    let comment = n[2] % 8 == 0 ? " " : "comment \(n[2])"
                    let evidence = Array(["evidence/\(n[3])", "evidence/\(n[3] + 1)"].prefix(n[3] % 3))
                    let command: ActionCommand =
                        switch n[0] % 6 {
                        case 0: .allocate(owner: people[n[4] % 3], ownerIsAddresseeMember: n[4] % 5 != 0, comment: comment)
                        case 1: .update(comment: comment, evidence: evidence)
                        case 2: .changeDue(to: Fixture.date("2027-06-30").adding(days: n[5] % 3), reason: comment)
                        case 3: .submitForSignOff(comment: comment, evidence: evidence)
                        case 4: .signOff(comment: comment)
                        default: .returnToOwner(reason: comment)
                        }
                    let role: Role = [.organisationMember, .partner, .organisationMember, .inspector, .leadInspector][n[1] % 5]
                    let actor = RecommendationActor(
                        principal: Fixture.principal(role, id: people[n[5] % 3]), isAuthor: false, isAddresseeMember: n[1] % 7 != 0)
                    let before = action
                    do throws(DomainError) {
                        action = try ActionPlanLifecycle.apply(command, to: action, actor: actor, at: Fixture.at(Double(index + 1)))
                    } catch {
                        switch error {
                        case .refused(_, _, let needed): #expect(!needed.isEmpty)
                        case .forbidden(let reason, _):
                            #expect(reason.contains("organisation members and partners") || reason.contains("owner"))
                        default: Issue.record("unexpected \(error)")
                        }
                        continue
                    }
                    guard let update = action.updates.last else { continue }
                    #expect(Self.allowed.contains("\(update.from.rawValue)>\(update.to.rawValue) by \(update.kind.rawValue)"))
                    #expect(update.from == before.status && update.by == actor.userID && update.comment.isEmpty == false)
                    #expect(actor.actsForAddressee)
                    if update.kind == .submitForSignOff { #expect(!update.evidence.isEmpty) }
                    if action.status == .closed {
                        closed += 1
                        #expect(actor.userID != action.owner, "signed off by its own owner")
                        #expect(action.updates.contains { $0.kind == .submitForSignOff && !$0.evidence.isEmpty })
                    }
                    if action.status != .awaitingAllocation { #expect(action.owner != nil) }
                }
            }
            #expect(closed > 0, "some sequences reach sign-off")
        }
    }
}
