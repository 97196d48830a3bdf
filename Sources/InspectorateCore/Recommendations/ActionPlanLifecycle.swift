import Foundation

/// The rules of an addressee's action plan, as a pure state machine. Its moves (`edges`):
///
/// | from | command | to |
/// |---|---|---|
/// | awaiting allocation, in progress | allocate (an owner of the addressee) | in progress |
/// | any but closed | update, change due date | unchanged |
/// | in progress | submit for sign-off (comment and evidence) | pending sign-off |
/// | pending sign-off | sign off | closed |
/// | pending sign-off | return to owner (reason) | in progress |
///
/// - The plan is the addressee's: its people (organisation members and partners of the
///   addressee) add actions, allocate them to an owner who is a user of that organisation,
///   post dated updates, move due dates (the reason kept) and submit actions for sign-off.
/// - Completing an action needs a comment and at least one piece of evidence.
/// - Someone of the addressee other than the owner signs off or returns it: nobody signs
///   off their own work. Inspectorate staff read the plan; they judge the recommendation,
///   not each action (`RecommendationLifecycle`).
/// - Closed is final. Every step is a dated update saying who, when and why.
public enum ActionPlanLifecycle {
    /// A new action against `recommendation` in `organisation`'s plan, awaiting allocation.
    /// - Throws: `DomainError.forbidden` unless the actor acts for the addressee; `.refused`
    ///   on `text` or `due` when missing.
    public static func create(
        id: UUID, recommendation: RecommendationReference, organisation: String, text: String, due: CivilDate?,
        actor: RecommendationActor, at: Date
    ) throws(DomainError) -> PlanAction {
        try authorise(.update, actor: actor)
        guard text.hasText else {
            throw .refused(field: "text", message: "Say what the action is", needed: ["the action's text"])
        }
        guard let due else {
            throw .refused(field: "due", message: "An action needs a due date", needed: ["a due date"])
        }
        return PlanAction(
            id: id, recommendation: recommendation, organisation: organisation, text: text.trimmingCharacters(in: .whitespacesAndNewlines),
            due: DueDateHistory(due, setAt: at, setBy: actor.userID))
    }

    /// The action after `actor` carries out `command` at `at`.
    /// - Throws: `DomainError.forbidden` naming who may; `.refused` naming the state or
    ///   input needed (`field` names the input).
    public static func apply(
        _ command: ActionCommand, to action: PlanAction, actor: RecommendationActor, at: Date
    ) throws(DomainError)
        -> PlanAction
    {
        try authorise(command.kind, actor: actor)
        if command.kind == .signOff || command.kind == .returnToOwner, action.owner == actor.userID {
            throw .forbidden(reason: "An action's owner does not sign off their own action: another of the addressee's people does")
        }
        if let refusal = stateRefusal(command.kind, status: action.status) { throw refusal }
        guard command.comment.hasText else {
            throw .refused(field: "comment", message: "Give a comment or reason; it is kept as a dated update", needed: ["a comment"])
        }
        if let last = action.lastChange, at < last {
            throw .refused(
                field: "at", message: "This update is dated before the action's last change",
                needed: ["an instant on or after \(last.formatted(.iso8601))"])
        }
        let evidence = command.evidence.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var owner: UUID?
        var due: DueDateHistory?
        let target: ActionStatus
        switch command {
        case .allocate(let newOwner, let isMember, _):
            guard isMember else {
                throw .refused(
                    field: "owner", message: "An action's owner is a user of \(action.organisation)",
                    needed: ["an owner who is a user of \(action.organisation)"])
            }
            owner = newOwner
            target = .inProgress
        case .update:
            guard evidence.allSatisfy(\.hasText) else {
                throw .refused(field: "evidence", message: "An evidence reference is empty", needed: ["evidence references with text"])
            }
            target = action.status
        case .changeDue(let date, let reason):
            do { due = try action.due.changing(to: date, reason: reason, by: actor.userID, at: at) } catch let error as FieldError {
                throw .refused(field: error.field, message: error.message, needed: [error.field == "due" ? "a different date" : "a reason"])
            } catch {
                throw .refused(field: "due", message: "\(error)", needed: ["a valid change of date"])
            }
            target = action.status
        case .submitForSignOff:
            guard !evidence.isEmpty, evidence.allSatisfy(\.hasText) else {
                throw .refused(
                    field: "evidence", message: "Completing an action needs evidence", needed: ["at least one evidence reference"])
            }
            target = .pendingSignOff
        case .signOff:
            target = .closed
        case .returnToOwner:
            target = .inProgress
        }
        var next = action
        next.apply(
            ActionUpdate(
                kind: command.kind, from: action.status, to: target, by: actor.userID, at: at,
                comment: command.comment.trimmingCharacters(in: .whitespacesAndNewlines), evidence: evidence),
            owner: owner, due: due)
        return next
    }

    /// The commands `actor` may give now, inputs aside: the buttons a page offers.
    public static func availableCommands(for action: PlanAction, actor: RecommendationActor) -> [ActionCommand.Kind] {
        ActionCommand.Kind.allCases.filter { kind in
            guard (try? authorise(kind, actor: actor)) != nil, stateRefusal(kind, status: action.status) == nil else { return false }
            return !((kind == .signOff || kind == .returnToOwner) && action.owner == actor.userID)
        }
    }

    /// Every allowed move of status: `(from, to, command)`; nothing else ever happens.
    public static let edges: [(from: ActionStatus, to: ActionStatus, command: ActionCommand.Kind)] = [
        (.awaitingAllocation, .inProgress, .allocate),
        (.inProgress, .inProgress, .allocate),
        (.awaitingAllocation, .awaitingAllocation, .update),
        (.inProgress, .inProgress, .update),
        (.pendingSignOff, .pendingSignOff, .update),
        (.awaitingAllocation, .awaitingAllocation, .changeDue),
        (.inProgress, .inProgress, .changeDue),
        (.pendingSignOff, .pendingSignOff, .changeDue),
        (.inProgress, .pendingSignOff, .submitForSignOff),
        (.pendingSignOff, .closed, .signOff),
        (.pendingSignOff, .inProgress, .returnToOwner),
    ]

    static func authorise(_ kind: ActionCommand.Kind, actor: RecommendationActor) throws(DomainError) {
        guard actor.actsForAddressee else {
            throw .forbidden(reason: "An action plan is kept by \(RecommendationRules.addresseeText) whose plan it is")
        }
    }

    static func stateRefusal(_ kind: ActionCommand.Kind, status: ActionStatus) -> DomainError? {
        if status == .closed {
            return .refused(
                field: "status", message: "This action is closed; a closed action does not change",
                needed: ["a new action, if more is to be done"])
        }
        func refuse(_ message: String, _ needed: String) -> DomainError {
            .refused(field: "status", message: "\(message); this one is \(status.displayName.lowercased())", needed: [needed])
        }
        switch kind {
        case .allocate:
            return status == .pendingSignOff
                ? refuse("An action awaiting sign-off is not reallocated", "status: awaiting allocation or in progress") : nil
        case .update, .changeDue:
            return nil
        case .submitForSignOff:
            return status == .inProgress
                ? nil : refuse("Only an allocated action in progress is submitted for sign-off", "status: in progress")
        case .signOff, .returnToOwner:
            return status == .pendingSignOff
                ? nil : refuse("Only an action pending sign-off is signed off or returned", "status: pending sign-off")
        }
    }
}
