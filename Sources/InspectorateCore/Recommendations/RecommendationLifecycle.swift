import Foundation

/// A recommendation's lifecycle as a pure state machine. Its moves (`edges`):
///
/// | from | action | to | who |
/// |---|---|---|---|
/// | open | start | in progress | the addressee's people |
/// | open, in progress | report complete (with evidence) | reported complete | the addressee's people |
/// | reported complete | verify, adequate | verified | an inspector or lead inspector, not the author |
/// | open, in progress, reported complete | verify, not adequate | in progress | an inspector or lead inspector, not the author |
/// | verified | close: implemented | closed: implemented | a lead inspector |
/// | in progress, after a verification found it not adequate | close: not implemented (reason) or superseded (by which) | closed | a lead inspector |
///
/// The rules, in the words of issue 11 and DOMAIN.md (Recommendations and follow-up):
/// - The addressee's people (organisation members and partners of an addressee) start the
///   work and report it complete, with evidence.
/// - An inspector or lead inspector who did not write the recommendation verifies it,
///   grading progress (no meaningful / insufficient / reasonable / good) and deciding
///   whether it is adequate. Adequate needs reasonable or good progress and a report of
///   completion to verify. Not adequate sends it (back) to in progress; an inspector may
///   also judge an open or in-progress recommendation not adequate at a revisit, which is
///   how one the addressee never takes up comes to be closed.
/// - Only a lead inspector closes, and nothing closes without a verification by someone
///   other than the author: implemented after an adequate one; not implemented (the reason
///   says why) or superseded (by which recommendation) after one that found it not adequate.
/// - Closed is final. Every step records who, their role, when (an instant the caller
///   gives, never before the last step) and the reason.
public enum RecommendationLifecycle {
    /// An allowed move: from a status, to a status, by an action.
    public struct Edge: Hashable, Sendable {
        public var from: RecommendationStatus
        public var to: RecommendationStatus
        public var action: RecommendationAction.Kind

        public init(_ from: RecommendationStatus, _ to: RecommendationStatus, _ action: RecommendationAction.Kind) {
            self.from = from
            self.to = to
            self.action = action
        }
    }

    /// Every allowed move; nothing else ever happens.
    public static let edges: Set<Edge> = [
        Edge(.open, .inProgress, .start),
        Edge(.open, .reportedComplete, .reportComplete),
        Edge(.inProgress, .reportedComplete, .reportComplete),
        Edge(.open, .inProgress, .verify),
        Edge(.inProgress, .inProgress, .verify),
        Edge(.reportedComplete, .inProgress, .verify),
        Edge(.reportedComplete, .verified, .verify),
        Edge(.verified, .closedImplemented, .closeImplemented),
        Edge(.inProgress, .closedNotImplemented, .closeNotImplemented),
        Edge(.inProgress, .closedSuperseded, .closeSuperseded),
    ]

    public static func isEdge(from: RecommendationStatus, to: RecommendationStatus, by action: RecommendationAction.Kind) -> Bool {
        edges.contains(Edge(from, to, action))
    }

    /// The state after `actor` does `action` at `at`.
    /// - Throws: `DomainError.forbidden` when the actor's role or relation may not do this
    ///   (the reason names who may); `.refused` when the state does not allow it now, or an
    ///   input is missing (`field` names it; `needed` says what must be so first).
    public static func apply(
        _ action: RecommendationAction, to state: RecommendationState, actor: RecommendationActor, at: Date
    ) throws(DomainError) -> RecommendationState {
        try authorise(action.kind, actor: actor)
        if let refusal = stateRefusal(action.kind, in: state) { throw refusal }
        let target = try checkInputs(action, in: state)
        if let last = state.lastChange, at < last {
            throw .refused(
                field: "at", message: "This step is dated before the recommendation's last change",
                needed: ["an instant on or after \(last.formatted(.iso8601))"])
        }
        var next = state
        next.record(RecommendationTransition(from: state.status, to: target, action: action, by: actor.userID, role: actor.role, at: at))
        return next
    }

    /// The actions `actor` may take in `state`, inputs aside: the buttons a page offers.
    public static func availableActions(in state: RecommendationState, actor: RecommendationActor) -> [RecommendationAction.Kind] {
        RecommendationAction.Kind.allCases.filter { kind in
            (try? authorise(kind, actor: actor)) != nil && stateRefusal(kind, in: state) == nil
        }
    }

    /// Throws `.forbidden` naming who may, unless the actor's role and relation allow `kind`.
    public static func authorise(_ kind: RecommendationAction.Kind, actor: RecommendationActor) throws(DomainError) {
        switch kind {
        case .start, .reportComplete:
            guard actor.actsForAddressee else {
                throw .forbidden(reason: "A recommendation's work is started and reported complete by \(RecommendationRules.addresseeText)")
            }
        case .verify:
            guard actor.isInspector else {
                throw .forbidden(reason: "Recommendations are verified by \(RecommendationRules.inspectorsText) who did not write them")
            }
            guard !actor.isAuthor else {
                throw .forbidden(
                    reason:
                        "The author of a recommendation may not verify it: another of the \(RecommendationRules.inspectorsText) verifies")
            }
        case .closeImplemented, .closeNotImplemented, .closeSuperseded:
            guard actor.role == .leadInspector else {
                throw .forbidden(reason: "Recommendations are closed by lead inspectors, after verification")
            }
        }
    }

    /// Why `kind` cannot happen in `state` whoever does it, or nil when it can.
    static func stateRefusal(_ kind: RecommendationAction.Kind, in state: RecommendationState) -> DomainError? {
        let status = state.status
        if status.isClosed {
            return .refused(
                field: "status",
                message: "This recommendation is \(status.displayName.lowercased()); a closed recommendation does not change",
                needed: ["a new recommendation, if more is to be done"])
        }
        func refuse(_ message: String, _ needed: String) -> DomainError {
            .refused(field: "status", message: "\(message); this one is \(status.displayName.lowercased())", needed: [needed])
        }
        switch kind {
        case .start:
            return status == .open ? nil : refuse("Only an open recommendation is started", "status: open")
        case .reportComplete:
            return status == .open || status == .inProgress
                ? nil : refuse("Only an open or in-progress recommendation is reported complete", "status: open or in progress")
        case .verify:
            return status == .verified
                ? refuse(
                    "It has been verified as adequate and awaits closure by a lead inspector",
                    "status: open, in progress or reported complete")
                : nil
        case .closeImplemented:
            return status == .verified
                ? nil
                : refuse(
                    "Only a recommendation verified as adequate is closed as implemented",
                    "an adequate verification by an inspector who did not write it (status: verified)")
        case .closeNotImplemented, .closeSuperseded:
            let foundInadequate = status == .inProgress && state.latestVerification.map { !$0.adequate } == true
            return foundInadequate
                ? nil
                : refuse(
                    "It closes as not implemented or superseded only after a verification found progress not adequate",
                    "a verification by an inspector who did not write it, finding progress not adequate (status: in progress)")
        }
    }

    /// Checks the action's own inputs and returns the status it leads to.
    private static func checkInputs(
        _ action: RecommendationAction, in state: RecommendationState
    ) throws(DomainError) -> RecommendationStatus {
        guard action.reason.hasText else {
            throw .refused(field: "reason", message: "Give the reason for this step; it is kept in the history", needed: ["a reason"])
        }
        switch action {
        case .start:
            return .inProgress
        case .reportComplete(let evidence, _):
            guard !evidence.isEmpty, evidence.allSatisfy(\.hasText) else {
                throw .refused(
                    field: "evidence", message: "A report of completion needs its evidence", needed: ["at least one evidence reference"])
            }
            return .reportedComplete
        case .verify(let progress, let adequate, _):
            guard adequate else { return .inProgress }
            guard progress.canBeAdequate else {
                throw .refused(
                    field: "progress", message: "\(progress.displayName) cannot be adequate",
                    needed: ["progress graded reasonable or good, or the work judged not adequate"])
            }
            guard state.status == .reportedComplete else {
                throw .refused(
                    field: "adequate", message: "Only work the addressee has reported complete, with evidence, is verified as adequate",
                    needed: ["the addressee to report it complete with evidence"])
            }
            return .verified
        case .closeImplemented:
            return .closedImplemented
        case .closeNotImplemented:
            return .closedNotImplemented
        case .closeSuperseded(let by, _):
            guard by != state.reference else {
                throw .refused(
                    field: "superseded_by", message: "A recommendation is not superseded by itself",
                    needed: ["the reference of the recommendation that supersedes it"])
            }
            return .closedSuperseded
        }
    }
}
