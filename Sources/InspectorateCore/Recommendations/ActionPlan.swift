import Foundation

/// Where an action of an addressee's plan stands: the stages forces' own trackers use
/// (DOMAIN.md, Recommendations and follow-up). Stored by raw value; never rename.
public enum ActionStatus: String, CaseIterable, Codable, Sendable {
    case awaitingAllocation = "awaiting_allocation"
    case inProgress = "in_progress"
    case pendingSignOff = "pending_sign_off"
    case closed

    public var displayName: String {
        switch self {
        case .awaitingAllocation: "Awaiting allocation"
        case .inProgress: "In progress"
        case .pendingSignOff: "Pending sign-off"
        case .closed: "Closed"
        }
    }

    /// Overdue once its due date has passed and it is not yet submitted for sign-off.
    public func isOverdue(due: CivilDate, asOf today: CivilDate) -> Bool {
        (self == .awaitingAllocation || self == .inProgress) && today > due
    }
}

/// What someone does to an action. Comments and reasons are kept as dated updates.
public enum ActionCommand: Equatable, Sendable {
    /// Gives the action an owner (or a new one). The caller says whether the owner is a
    /// user of the addressee organisation.
    case allocate(owner: UUID, ownerIsAddresseeMember: Bool, comment: String)
    /// A dated update, with evidence references if any.
    case update(comment: String, evidence: [String])
    /// Moves the action's due date, keeping the old one.
    case changeDue(to: CivilDate, reason: String)
    /// The owner says it is done: completing needs a comment and evidence.
    case submitForSignOff(comment: String, evidence: [String])
    /// Someone other than the owner agrees it is done.
    case signOff(comment: String)
    /// Someone other than the owner sends it back, saying why.
    case returnToOwner(reason: String)

    public enum Kind: String, CaseIterable, Sendable {
        case allocate, update
        case changeDue = "change_due"
        case submitForSignOff = "submit_for_sign_off"
        case signOff = "sign_off"
        case returnToOwner = "return_to_owner"
    }

    public var kind: Kind {
        switch self {
        case .allocate: .allocate
        case .update: .update
        case .changeDue: .changeDue
        case .submitForSignOff: .submitForSignOff
        case .signOff: .signOff
        case .returnToOwner: .returnToOwner
        }
    }

    /// The comment or reason the command carries.
    public var comment: String {
        switch self {
        case .allocate(_, _, let text), .update(let text, _), .changeDue(_, let text), .submitForSignOff(let text, _), .signOff(let text),
            .returnToOwner(let text):
            text
        }
    }

    public var evidence: [String] {
        switch self {
        case .update(_, let evidence), .submitForSignOff(_, let evidence): evidence
        default: []
        }
    }
}

/// One dated entry of an action's log: every command that changed it, with who and when.
public struct ActionUpdate: Equatable, Sendable {
    public var kind: ActionCommand.Kind
    public var from: ActionStatus
    public var to: ActionStatus
    public var by: UUID
    public var at: Date
    public var comment: String
    /// Evidence references (files marked as evidence is).
    public var evidence: [String]

    public init(kind: ActionCommand.Kind, from: ActionStatus, to: ActionStatus, by: UUID, at: Date, comment: String, evidence: [String]) {
        self.kind = kind
        self.from = from
        self.to = to
        self.by = by
        self.at = at
        self.comment = comment
        self.evidence = evidence
    }
}

/// An action in an addressee's plan against one recommendation.
public struct PlanAction: Equatable, Sendable {
    public var id: UUID
    public var recommendation: RecommendationReference
    /// The addressee whose plan this is (an organisation code).
    public var organisation: String
    public var text: String
    /// A user of `organisation`; nil while awaiting allocation.
    public private(set) var owner: UUID?
    public private(set) var due: DueDateHistory
    public private(set) var status: ActionStatus
    /// Oldest first.
    public private(set) var updates: [ActionUpdate]

    /// A new action, awaiting allocation. Use `ActionPlanLifecycle.create` to check who may
    /// add it and what it needs.
    init(id: UUID, recommendation: RecommendationReference, organisation: String, text: String, due: DueDateHistory) {
        self.id = id
        self.recommendation = recommendation
        self.organisation = organisation
        self.text = text
        self.owner = nil
        self.due = due
        self.status = .awaitingAllocation
        self.updates = []
    }

    /// Rebuilds an action read back from storage, as it was saved.
    public init(
        stored id: UUID, recommendation: RecommendationReference, organisation: String, text: String, owner: UUID?, due: DueDateHistory,
        status: ActionStatus, updates: [ActionUpdate]
    ) {
        self.id = id
        self.recommendation = recommendation
        self.organisation = organisation
        self.text = text
        self.owner = owner
        self.due = due
        self.status = status
        self.updates = updates
    }

    public var lastChange: Date? { updates.last?.at ?? due.versions.last?.setAt }

    mutating func apply(_ update: ActionUpdate, owner newOwner: UUID?, due newDue: DueDateHistory?) {
        if let newOwner { owner = newOwner }
        if let newDue { due = newDue }
        status = update.to
        updates.append(update)
    }
}
