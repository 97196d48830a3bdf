import Foundation

/// Where a recommendation stands. Stored by raw value; never rename.
public enum RecommendationStatus: String, CaseIterable, Codable, Sendable {
    case open
    case inProgress = "in_progress"
    /// The addressee says it is done and has given evidence; awaiting verification.
    case reportedComplete = "reported_complete"
    /// An inspector who is not the author found the work adequate; awaiting closure.
    case verified
    case closedImplemented = "closed_implemented"
    case closedNotImplemented = "closed_not_implemented"
    case closedSuperseded = "closed_superseded"

    public var displayName: String {
        switch self {
        case .open: "Open"
        case .inProgress: "In progress"
        case .reportedComplete: "Reported complete"
        case .verified: "Verified"
        case .closedImplemented: "Closed: implemented"
        case .closedNotImplemented: "Closed: not implemented"
        case .closedSuperseded: "Closed: superseded"
        }
    }

    public var isClosed: Bool {
        self == .closedImplemented || self == .closedNotImplemented || self == .closedSuperseded
    }

    /// Overdue when its due date has passed (the day after it has begun in the deployment's
    /// zone) and the addressee has not yet reported it complete. Once reported complete,
    /// the wait is the inspectorate's, not the addressee's.
    public func isOverdue(due: CivilDate, asOf today: CivilDate) -> Bool {
        (self == .open || self == .inProgress) && today > due
    }
}

/// How much progress a verifying inspector found: the prisons inspectorate's scale (DOMAIN.md,
/// Recommendations and follow-up). Stored by raw value; never rename.
public enum ProgressGrade: String, CaseIterable, Codable, Sendable, Comparable {
    case noMeaningful = "no_meaningful"
    case insufficient
    case reasonable
    case good

    public var displayName: String {
        switch self {
        case .noMeaningful: "No meaningful progress"
        case .insufficient: "Insufficient progress"
        case .reasonable: "Reasonable progress"
        case .good: "Good progress"
        }
    }

    /// An adequate verification grades progress reasonable or good.
    public var canBeAdequate: Bool { self >= .reasonable }

    public static func < (lhs: ProgressGrade, rhs: ProgressGrade) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// An inspector's verification: the inspected body does not mark its own homework.
public struct Verification: Equatable, Sendable {
    public var by: UUID
    public var role: Role
    public var at: Date
    public var progress: ProgressGrade
    /// Adequate: the recommendation may be closed as implemented. Not adequate: back to in progress.
    public var adequate: Bool
    public var reason: String

    public init(by: UUID, role: Role, at: Date, progress: ProgressGrade, adequate: Bool, reason: String) {
        self.by = by
        self.role = role
        self.at = at
        self.progress = progress
        self.adequate = adequate
        self.reason = reason
    }
}

/// What someone does to a recommendation. Every action carries its reason.
public enum RecommendationAction: Equatable, Sendable {
    /// The addressee has begun work.
    case start(reason: String)
    /// The addressee says it is done, with references to evidence (files marked as evidence is).
    case reportComplete(evidence: [String], reason: String)
    /// An inspector who did not write it grades progress and decides whether it is adequate.
    case verify(progress: ProgressGrade, adequate: Bool, reason: String)
    case closeImplemented(reason: String)
    /// The reason says why it was not implemented.
    case closeNotImplemented(reason: String)
    case closeSuperseded(by: RecommendationReference, reason: String)

    /// The action without its inputs: for tables of who may do what.
    public enum Kind: String, CaseIterable, Sendable {
        case start
        case reportComplete = "report_complete"
        case verify
        case closeImplemented = "close_implemented"
        case closeNotImplemented = "close_not_implemented"
        case closeSuperseded = "close_superseded"
    }

    public var kind: Kind {
        switch self {
        case .start: .start
        case .reportComplete: .reportComplete
        case .verify: .verify
        case .closeImplemented: .closeImplemented
        case .closeNotImplemented: .closeNotImplemented
        case .closeSuperseded: .closeSuperseded
        }
    }

    public var reason: String {
        switch self {
        case .start(let reason), .reportComplete(_, let reason), .verify(_, _, let reason), .closeImplemented(let reason),
            .closeNotImplemented(let reason), .closeSuperseded(_, let reason):
            reason
        }
    }
}

/// One step of a recommendation's history: who, when, why, from what to what.
public struct RecommendationTransition: Equatable, Sendable {
    public var from: RecommendationStatus
    public var to: RecommendationStatus
    public var action: RecommendationAction
    public var by: UUID
    public var role: Role
    public var at: Date

    public init(from: RecommendationStatus, to: RecommendationStatus, action: RecommendationAction, by: UUID, role: Role, at: Date) {
        self.from = from
        self.to = to
        self.action = action
        self.by = by
        self.role = role
        self.at = at
    }

    public var reason: String { action.reason }
}

/// A recommendation's state: the whole history of its transitions, from which its status,
/// verifications and evidence follow. Built only by `RecommendationLifecycle.apply`, one
/// transition at a time, or rebuilt from stored history by `init(reference:history:author:)`.
public struct RecommendationState: Equatable, Sendable {
    public let reference: RecommendationReference
    /// Oldest first.
    public private(set) var history: [RecommendationTransition]

    /// A recommendation just published: open, with no history.
    public init(reference: RecommendationReference) {
        self.reference = reference
        history = []
    }

    /// Rebuilds the state from stored transitions, checking that each starts where the one
    /// before ended, follows an edge of `RecommendationLifecycle.edges`, is not dated before
    /// the one before, was taken by a role that may take it (no verification by `author`),
    /// and that the state allowed it (a closure after its verification).
    /// - Throws: `DomainError.refused` naming the first transition that does not fit.
    public init(reference: RecommendationReference, history: [RecommendationTransition], author: UUID?) throws(DomainError) {
        self.init(reference: reference)
        for (index, transition) in history.enumerated() {
            let step = "transition \(index + 1) (\(transition.from.rawValue) to \(transition.to.rawValue))"
            guard transition.from == status,
                RecommendationLifecycle.isEdge(from: transition.from, to: transition.to, by: transition.action.kind)
            else {
                throw .refused(
                    field: "history", message: "The stored history does not follow the lifecycle at \(step)",
                    needed: ["a history that does"])
            }
            if let last = lastChange, transition.at < last {
                throw .refused(
                    field: "history", message: "The stored history goes back in time at \(step)", needed: ["transitions in time order"])
            }
            // The recorded role must be one that may take the step (the author never
            // verifying), and the state must allow it: a closure follows its verification.
            let recorded = RecommendationActor(
                principal: Principal(
                    userID: transition.by, role: transition.role,
                    homeOrganisationID: transition.role.requiresHomeOrganisation ? UUID() : nil,
                    vetting: Vetting(level: .none, granted: nil, expires: nil)),
                isAuthor: transition.by == author, isAddresseeMember: true)
            if (try? RecommendationLifecycle.authorise(transition.action.kind, actor: recorded)) == nil {
                throw .refused(
                    field: "history",
                    message: "The stored history has a \(transition.role.displayName.lowercased()) who may not take \(step)",
                    needed: ["each step by a role that may take it, and no verification by the author"])
            }
            if RecommendationLifecycle.stateRefusal(transition.action.kind, in: self) != nil {
                throw .refused(
                    field: "history", message: "The stored history takes \(step) before what it needs",
                    needed: ["each step after what it needs (a closure after its verification)"])
            }
            self.history.append(transition)
        }
    }

    public var status: RecommendationStatus { history.last?.to ?? .open }

    /// Every verification, oldest first.
    public var verifications: [Verification] {
        history.compactMap { transition in
            guard case .verify(let progress, let adequate, let reason) = transition.action else { return nil }
            return Verification(
                by: transition.by, role: transition.role, at: transition.at, progress: progress, adequate: adequate, reason: reason)
        }
    }

    public var latestVerification: Verification? { verifications.last }

    /// Evidence references given with reports of completion, oldest first.
    public var evidence: [String] {
        history.flatMap { transition -> [String] in
            if case .reportComplete(let evidence, _) = transition.action { return evidence }
            return []
        }
    }

    public var supersededBy: RecommendationReference? {
        guard case .closeSuperseded(let by, _) = history.last?.action else { return nil }
        return by
    }

    public var lastChange: Date? { history.last?.at }

    mutating func record(_ transition: RecommendationTransition) {
        history.append(transition)
    }
}
