import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

extension Recommendations {
    @Suite("Recommendation lifecycle, random sequences")
    struct RecommendationLifecyclePropertyTests {
        /// The allowed moves, written out here by hand rather than read from the code under test.
        static let allowed: Set<String> = [
            "open>in_progress by start",
            "open>reported_complete by report_complete",
            "in_progress>reported_complete by report_complete",
            "open>in_progress by verify",
            "in_progress>in_progress by verify",
            "reported_complete>in_progress by verify",
            "reported_complete>verified by verify",
            "verified>closed_implemented by close_implemented",
            "in_progress>closed_not_implemented by close_not_implemented",
            "in_progress>closed_superseded by close_superseded",
        ]

        static let roles: [Role] = [.administrator, .inspector, .leadInspector, .organisationMember, .partner, .analyst]
        static let grades: [ProgressGrade] = [.noMeaningful, .insufficient, .reasonable, .good]
        /// Words a refusal for want of a role names.
        static let roleWords = ["inspectors", "lead inspectors", "organisation members and partners", "author"]

        /// One random step, decoded from eleven numbers.
        struct Step {
            var action: RecommendationAction
            var actor: RecommendationActor
            var at: Date

            init(_ n: [Int], previous: Date, reference: RecommendationReference, people: [UUID]) {
                let reason = n[4] % 10 == 0 ? (n[4] % 20 == 0 ? "" : "  ") : "reason \(n[4])"
                let evidence = Array(["evidence/\(n[5])", "evidence/\(n[5] + 1)", " "].prefix(n[5] % 3))
                switch n[0] % 6 {
                case 0: action = .start(reason: reason)
                case 1: action = .reportComplete(evidence: evidence, reason: reason)
                case 2:
                    action = .verify(
                        progress: RecommendationLifecyclePropertyTests.grades[n[6] % 4], adequate: n[7] % 2 == 0, reason: reason)
                case 3: action = .closeImplemented(reason: reason)
                case 4: action = .closeNotImplemented(reason: reason)
                default:
                    let other = (try? RecommendationReference(cycle: "peel-2028", scope: .national, number: 1 + n[8] % 3)) ?? reference
                    action = .closeSuperseded(by: n[8] % 5 == 0 ? reference : other, reason: reason)
                }
                // Two steps in three are by someone of a role that could do it (still now and then
                // the author, or not of the addressee); the third by anyone at all.
                let fitting: [Role] =
                    switch n[0] % 6 {
                    case 0, 1: [.organisationMember, .partner]
                    case 2: [.inspector, .leadInspector]
                    default: [.leadInspector]
                    }
                let role = n[1] % 3 == 0 ? RecommendationLifecyclePropertyTests.roles[n[1] % 6] : fitting[n[1] % fitting.count]
                let principal = Principal(
                    userID: people[n[9] % people.count], role: role, homeOrganisationID: role.requiresHomeOrganisation ? UUID() : nil,
                    vetting: Vetting(level: .none, granted: nil, expires: nil))
                actor = RecommendationActor(principal: principal, isAuthor: n[2] % 4 == 0, isAddresseeMember: n[3] % 4 != 0)
                // Mostly forwards in time, sometimes the same instant, now and then backwards.
                at = previous.addingTimeInterval(Double(n[10] % 6 - 1) * 3600)
            }
        }

        @Test func randomSequencesKeepEveryInvariant() async {
            let reference = Fixture.reference("peel-2027/national/1")
            let people = (0..<4).map { _ in UUID() }
            var reached: Set<RecommendationStatus> = [.open]
            var successes = 0
            let steps = Gen.int(in: 0...999).array(of: 11).array(of: 1...40)
            await propertyCheck(count: 600, input: steps) { numbers in
                var state = RecommendationState(reference: reference)
                var clock = Fixture.start
                /// Successful verifications as this test saw them: who, and whether they wrote it.
                var verifications: [(actor: RecommendationActor, adequate: Bool)] = []
                for n in numbers {
                    let step = Step(n, previous: clock, reference: reference, people: people)
                    let before = state
                    do throws(DomainError) {
                        state = try RecommendationLifecycle.apply(step.action, to: state, actor: step.actor, at: step.at)
                    } catch {
                        #expect(state == before)
                        switch error {
                        case .refused(_, let message, let needed):
                            #expect(!message.isEmpty)
                            #expect(!needed.isEmpty && needed.allSatisfy { !$0.isEmpty }, "a refusal names what is needed: \(error)")
                        case .forbidden(let reason, _):
                            #expect(
                                Self.roleWords.contains { reason.contains($0) }, "a refusal for want of a role names the role: \(reason)")
                        default:
                            Issue.record("the lifecycle only refuses or forbids: \(error)")
                        }
                        continue
                    }
                    successes += 1
                    clock = step.at
                    reached.insert(state.status)
                    #expect(state.history.count == before.history.count + 1)
                    guard let last = state.history.last else { continue }
                    let edge = "\(last.from.rawValue)>\(last.to.rawValue) by \(step.action.kind.rawValue)"
                    #expect(Self.allowed.contains(edge), "moved along an edge that is not allowed: \(edge)")
                    #expect(
                        last.from == before.status && last.by == step.actor.userID && last.at == step.at && last.role == step.actor.role)
                    #expect(last.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == false)
                    if case .verify(_, let adequate, _) = step.action {
                        #expect([.inspector, .leadInspector].contains(step.actor.role) && !step.actor.isAuthor)
                        verifications.append((step.actor, adequate))
                    }
                    if state.status.isClosed {
                        #expect(step.actor.role == .leadInspector)
                        #expect(
                            verifications.contains { !$0.actor.isAuthor && [.inspector, .leadInspector].contains($0.actor.role) },
                            "closed without a verification by someone other than the author")
                        if state.status == .closedImplemented { #expect(verifications.last?.adequate == true) }
                        if state.status != .closedImplemented { #expect(verifications.last?.adequate == false) }
                    }
                    if state.status == .reportedComplete || state.status == .verified { #expect(!state.evidence.isEmpty) }
                }
                // What was stored replays to the same state.
                #expect((try? RecommendationState(reference: reference, history: state.history, author: nil)) == state)
            }
            #expect(successes > 800, "the generator should reach far into the lifecycle")
            #expect(reached == Set(RecommendationStatus.allCases), "every status is reached by some sequence")
        }
    }
}
