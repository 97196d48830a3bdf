import Foundation
import Testing

@testable import InspectorateCore

extension Recommendations {
    @Suite("Recommendation lifecycle")
    struct RecommendationLifecycleTests {
        let reference = Fixture.reference("peel-2027/kent/3")

        func run(_ steps: [(RecommendationAction, RecommendationActor)]) throws -> RecommendationState {
            var state = RecommendationState(reference: reference)
            for (index, (action, actor)) in steps.enumerated() {
                state = try RecommendationLifecycle.apply(action, to: state, actor: actor, at: Fixture.at(Double(index)))
            }
            return state
        }

        func refusal(
            _ action: RecommendationAction, in state: RecommendationState, by actor: RecommendationActor, at: Date? = nil
        ) -> DomainError? {
            do {
                _ = try RecommendationLifecycle.apply(action, to: state, actor: actor, at: at ?? Fixture.at(100))
                return nil
            } catch { return error }
        }

        @Test func theWholeWayToImplementedRecordsWhoWhenAndWhy() throws {
            let state = try run([
                (.start(reason: "Plan agreed at the chief officer group"), Fixture.member),
                (.reportComplete(evidence: ["evidence/41"], reason: "All BCUs trained"), Fixture.member),
                (.verify(progress: .good, adequate: true, reason: "Training records checked in fieldwork"), Fixture.verifier),
                (.closeImplemented(reason: "Verified at the revisit"), Fixture.lead),
            ])
            #expect(state.status == .closedImplemented)
            #expect(state.history.map(\.to) == [.inProgress, .reportedComplete, .verified, .closedImplemented])
            #expect(
                state.history.map(\.by) == [Fixture.member.userID, Fixture.member.userID, Fixture.verifier.userID, Fixture.lead.userID])
            #expect(state.history.map(\.role) == [.organisationMember, .organisationMember, .inspector, .leadInspector])
            #expect(state.history.map(\.at) == [Fixture.at(0), Fixture.at(1), Fixture.at(2), Fixture.at(3)])
            #expect(state.history[0].reason == "Plan agreed at the chief officer group")
            #expect(state.evidence == ["evidence/41"])
            #expect(state.latestVerification?.progress == .good)
        }

        @Test func anInadequateVerificationSendsItBackToInProgress() throws {
            let state = try run([
                (.reportComplete(evidence: ["e1"], reason: "Done"), Fixture.member),
                (.verify(progress: .insufficient, adequate: false, reason: "Only two of six BCUs"), Fixture.verifier),
            ])
            #expect(state.status == .inProgress)
            #expect(state.latestVerification?.adequate == false)
        }

        @Test func theAuthorMayNotVerifyAndTheRefusalSaysWhoMay() throws {
            let state = try run([(.reportComplete(evidence: ["e1"], reason: "Done"), Fixture.member)])
            let error = refusal(.verify(progress: .good, adequate: true, reason: "Looks fine"), in: state, by: Fixture.author)
            #expect(
                error
                    == .forbidden(
                        reason: "The author of a recommendation may not verify it: another of the inspectors and lead inspectors verifies"))
            // A lead inspector who wrote it is refused in the same way.
            #expect(
                refusal(.verify(progress: .good, adequate: true, reason: "x"), in: state, by: Fixture.actor(.leadInspector, author: true))?
                    .isForbidden == true)
        }

        @Test func nothingClosesWithoutVerification() throws {
            let reported = try run([(.reportComplete(evidence: ["e1"], reason: "Done"), Fixture.member)])
            let error = refusal(.closeImplemented(reason: "They say it is done"), in: reported, by: Fixture.lead)
            #expect(error?.needed == ["an adequate verification by an inspector who did not write it (status: verified)"])
            let open = RecommendationState(reference: reference)
            #expect(
                refusal(.closeNotImplemented(reason: "Never started"), in: open, by: Fixture.lead)?.needed?.first?.contains("verification")
                    == true)
            #expect(
                refusal(.closeSuperseded(by: Fixture.reference("peel-2028/kent/1"), reason: "Replaced"), in: open, by: Fixture.lead) != nil)
        }

        @Test func aRecommendationNeverTakenUpClosesAsNotImplementedAfterAVerification() throws {
            let state = try run([
                (.verify(progress: .noMeaningful, adequate: false, reason: "Revisit found nothing done"), Fixture.verifier),
                (.closeNotImplemented(reason: "The force did not accept it and has not acted"), Fixture.lead),
            ])
            #expect(state.status == .closedNotImplemented)
            #expect(state.history.map(\.from) == [.open, .inProgress])
        }

        @Test func supersededNamesTheRecommendationThatReplacesItAndNotItself() throws {
            let checked = try run([(.verify(progress: .insufficient, adequate: false, reason: "Partly done"), Fixture.verifier)])
            let itself = refusal(.closeSuperseded(by: reference, reason: "Replaced"), in: checked, by: Fixture.lead)
            #expect(itself?.field == "superseded_by")
            let replacement = Fixture.reference("peel-2028/kent/1")
            let closed = try RecommendationLifecycle.apply(
                .closeSuperseded(by: replacement, reason: "Replaced by the 2028 recommendation"), to: checked, actor: Fixture.lead,
                at: Fixture.at(5))
            #expect(closed.status == .closedSuperseded)
            #expect(closed.supersededBy == replacement)
        }

        @Test func adequateNeedsAReportOfCompletionAndReasonableOrGoodProgress() throws {
            let open = RecommendationState(reference: reference)
            #expect(
                refusal(.verify(progress: .good, adequate: true, reason: "x"), in: open, by: Fixture.verifier)?.needed == [
                    "the addressee to report it complete with evidence"
                ])
            let reported = try run([(.reportComplete(evidence: ["e1"], reason: "Done"), Fixture.member)])
            let error = refusal(.verify(progress: .insufficient, adequate: true, reason: "x"), in: reported, by: Fixture.verifier)
            #expect(error?.field == "progress")
        }

        @Test func everyStepNeedsAReasonAndAReportOfCompletionNeedsEvidence() {
            let open = RecommendationState(reference: reference)
            #expect(
                refusal(.start(reason: "  \n"), in: open, by: Fixture.member)
                    == .refused(
                        field: "reason", message: "Give the reason for this step; it is kept in the history", needed: ["a reason"]))
            #expect(refusal(.reportComplete(evidence: [], reason: "Done"), in: open, by: Fixture.member)?.field == "evidence")
            #expect(refusal(.reportComplete(evidence: [" "], reason: "Done"), in: open, by: Fixture.member)?.field == "evidence")
        }

        @Test func onlyTheAddresseesPeopleStartAndReport() {
            let open = RecommendationState(reference: reference)
            let stranger = Fixture.actor(.organisationMember, member: false)
            for actor in [stranger, Fixture.verifier, Fixture.lead, Fixture.actor(.administrator), Fixture.actor(.analyst)] {
                #expect(refusal(.start(reason: "Begun"), in: open, by: actor)?.isForbidden == true)
            }
            #expect(refusal(.start(reason: "Begun"), in: open, by: Fixture.actor(.partner, member: true)) == nil)
            // Staff are never the addressee's people, whatever the caller says.
            #expect(refusal(.start(reason: "Begun"), in: open, by: Fixture.actor(.inspector, member: true))?.isForbidden == true)
        }

        @Test func onlyLeadInspectorsClose() throws {
            let verified = try run([
                (.reportComplete(evidence: ["e1"], reason: "Done"), Fixture.member),
                (.verify(progress: .reasonable, adequate: true, reason: "Checked"), Fixture.verifier),
            ])
            #expect(
                refusal(.closeImplemented(reason: "x"), in: verified, by: Fixture.verifier)
                    == .forbidden(
                        reason: "Recommendations are closed by lead inspectors, after verification"))
            // The author, as lead inspector, may close what someone else verified.
            #expect(refusal(.closeImplemented(reason: "x"), in: verified, by: Fixture.actor(.leadInspector, author: true)) == nil)
        }

        @Test func closedIsFinal() throws {
            let closed = try run([
                (.verify(progress: .noMeaningful, adequate: false, reason: "Nothing"), Fixture.verifier),
                (.closeNotImplemented(reason: "Not accepted"), Fixture.lead),
            ])
            for (action, actor) in [
                (RecommendationAction.start(reason: "x"), Fixture.member),
                (.verify(progress: .good, adequate: false, reason: "x"), Fixture.verifier),
                (.closeImplemented(reason: "x"), Fixture.lead),
            ] {
                #expect(refusal(action, in: closed, by: actor)?.needed == ["a new recommendation, if more is to be done"])
            }
            #expect(RecommendationLifecycle.availableActions(in: closed, actor: Fixture.lead).isEmpty)
        }

        @Test func aStepIsNeverDatedBeforeTheLastOne() throws {
            let started = try run([(.start(reason: "Begun"), Fixture.member)])
            let error = refusal(.reportComplete(evidence: ["e"], reason: "Done"), in: started, by: Fixture.member, at: Fixture.at(-1))
            #expect(error?.field == "at")
            // The same instant is allowed: two steps in one request.
            #expect(refusal(.reportComplete(evidence: ["e"], reason: "Done"), in: started, by: Fixture.member, at: Fixture.at(0)) == nil)
        }

        @Test func thePageOffersWhatEachPersonMayDoNow() throws {
            let open = RecommendationState(reference: reference)
            #expect(RecommendationLifecycle.availableActions(in: open, actor: Fixture.member) == [.start, .reportComplete])
            #expect(RecommendationLifecycle.availableActions(in: open, actor: Fixture.verifier) == [.verify])
            #expect(RecommendationLifecycle.availableActions(in: open, actor: Fixture.author) == [])
            #expect(RecommendationLifecycle.availableActions(in: open, actor: Fixture.lead) == [.verify])
            let checked = try run([(.verify(progress: .insufficient, adequate: false, reason: "Partly"), Fixture.verifier)])
            #expect(
                RecommendationLifecycle.availableActions(in: checked, actor: Fixture.lead) == [
                    .verify, .closeNotImplemented, .closeSuperseded,
                ])
            #expect(RecommendationLifecycle.availableActions(in: checked, actor: Fixture.actor(.analyst)) == [])
        }

        @Test func storedHistoryIsReplayedAndCheckedAgainstTheAuthor() throws {
            let state = try run([
                (.reportComplete(evidence: ["e1"], reason: "Done"), Fixture.member),
                (.verify(progress: .good, adequate: true, reason: "Checked"), Fixture.verifier),
            ])
            let rebuilt = try RecommendationState(reference: reference, history: state.history, author: Fixture.author.userID)
            #expect(rebuilt == state)
            #expect(rebuilt.status == .verified)
            #expect(throws: DomainError.self) {
                try RecommendationState(reference: reference, history: state.history, author: Fixture.verifier.userID)
            }
            #expect(throws: DomainError.self) {
                try RecommendationState(reference: reference, history: Array(state.history.dropFirst()), author: nil)
            }
            // A closure with no verification before it, forged into storage, is refused.
            let forged = RecommendationTransition(
                from: .inProgress, to: .closedNotImplemented, action: .closeNotImplemented(reason: "x"), by: UUID(), role: .leadInspector,
                at: Fixture.at(2))
            let started = RecommendationTransition(
                from: .open, to: .inProgress, action: .start(reason: "Begun"), by: UUID(), role: .organisationMember, at: Fixture.at(1))
            #expect(throws: DomainError.self) { try RecommendationState(reference: reference, history: [started, forged], author: nil) }
            // So is a step recorded against a role that may not take it.
            var byAnalyst = started
            byAnalyst.role = .analyst
            #expect(throws: DomainError.self) { try RecommendationState(reference: reference, history: [byAnalyst], author: nil) }
        }

        @Test func overdueIsTheAddresseesWaitNotTheInspectorates() {
            let due = Fixture.date("2010-03-31")
            #expect(!RecommendationStatus.open.isOverdue(due: due, asOf: due))
            #expect(RecommendationStatus.open.isOverdue(due: due, asOf: Fixture.date("2010-04-01")))
            #expect(RecommendationStatus.inProgress.isOverdue(due: due, asOf: Fixture.date("2010-04-01")))
            #expect(!RecommendationStatus.reportedComplete.isOverdue(due: due, asOf: Fixture.date("2010-04-01")))
            #expect(!RecommendationStatus.closedNotImplemented.isOverdue(due: due, asOf: Fixture.date("2011-01-01")))
        }
    }
}
