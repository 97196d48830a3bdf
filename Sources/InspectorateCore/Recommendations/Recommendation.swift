import Foundation

/// A recommendation as entered: what a form, the API or an import gives before it is checked.
public struct RecommendationDraft: Equatable, Sendable {
    public var reference: RecommendationReference
    public var text: String
    /// Organisation codes: a force, several forces, or a national body in the registry.
    public var addressees: [String]
    public var priority: Bool
    public var due: CivilDate?
    /// Criterion codes of the cycle's framework.
    public var criteria: [String]
    /// Progress depends on a body other than the addressees (white on forces' trackers).
    public var dependsOnAnotherBody: Bool
    public var finding: UUID?
    public var marking: Marking

    public init(
        reference: RecommendationReference, text: String, addressees: [String], priority: Bool = false, due: CivilDate?,
        criteria: [String] = [], dependsOnAnotherBody: Bool = false, finding: UUID? = nil, marking: Marking
    ) {
        self.reference = reference
        self.text = text
        self.addressees = addressees
        self.priority = priority
        self.due = due
        self.criteria = criteria
        self.dependsOnAnotherBody = dependsOnAnotherBody
        self.finding = finding
        self.marking = marking
    }
}

/// A recommendation: what an addressee should do, and by when. Not an order: the
/// addressee responds, and the inspectorate follows it to the end (`RecommendationLifecycle`).
public struct Recommendation: Equatable, Sendable {
    public var reference: RecommendationReference
    public var text: String
    /// Organisation codes, at least one, each once.
    public var addressees: [String]
    /// Flagged as a priority (as the US GAO flags its priority recommendations).
    public var priority: Bool
    /// The due date with every change and its reason.
    public var due: DueDateHistory
    public var criteria: [String]
    public var dependsOnAnotherBody: Bool
    /// The finding (a cause of concern) that carries it, if any.
    public var finding: UUID?
    /// Who drafted it; nil for imported or shipped recommendations. The author may not verify it.
    public var author: UUID?
    /// The day it was published to its addressees; the response period runs from here.
    public var publishedOn: CivilDate?
    public var marking: Marking

    public init(
        reference: RecommendationReference, text: String, addressees: [String], priority: Bool, due: DueDateHistory,
        criteria: [String], dependsOnAnotherBody: Bool, finding: UUID?, author: UUID?, publishedOn: CivilDate?, marking: Marking
    ) {
        self.reference = reference
        self.text = text
        self.addressees = addressees
        self.priority = priority
        self.due = due
        self.criteria = criteria
        self.dependsOnAnotherBody = dependsOnAnotherBody
        self.finding = finding
        self.author = author
        self.publishedOn = publishedOn
        self.marking = marking
    }

    /// Checks `draft` and makes the recommendation, its due date first set by `author` at `at`.
    /// - Parameters:
    ///   - isKnownOrganisation: whether a code names an organisation in the registry
    ///     (national bodies included).
    ///   - criteria: the framework's criterion codes, when the links are to be checked.
    ///   - scheme: the deployment's marking scheme, when the marking is to be checked.
    /// - Throws: `ValidationErrors` naming every problem's field: `text`, `addressees`,
    ///   `due`, `criteria`, `marking`/`descriptors`.
    public static func make(
        from draft: RecommendationDraft, author: UUID?, at: Date, isKnownOrganisation: (String) -> Bool,
        criteria: Set<String>? = nil, scheme: MarkingScheme? = nil
    ) throws -> Recommendation {
        var errors = ValidationErrors(problems(in: draft, isKnownOrganisation: isKnownOrganisation, criteria: criteria))
        if let scheme { errors.errors += scheme.check(draft.marking) }
        try errors.throwIfAny()
        guard let due = draft.due else { throw ValidationErrors([FieldError("due", "Enter the due date")]) }
        return Recommendation(
            reference: draft.reference, text: draft.text.trimmingCharacters(in: .whitespacesAndNewlines),
            addressees: draft.addressees.map { $0.trimmingCharacters(in: .whitespaces) }, priority: draft.priority,
            due: DueDateHistory(due, setAt: at, setBy: author), criteria: draft.criteria,
            dependsOnAnotherBody: draft.dependsOnAnotherBody, finding: draft.finding, author: author, publishedOn: nil,
            marking: draft.marking)
    }

    /// Every problem with a draft's content, each on its field.
    public static func problems(
        in draft: RecommendationDraft, isKnownOrganisation: (String) -> Bool, criteria: Set<String>? = nil
    ) -> [FieldError] {
        var problems: [FieldError] = []
        if !draft.text.hasText { problems.append(FieldError("text", "Enter what is recommended")) }
        let addressees = draft.addressees.map { $0.trimmingCharacters(in: .whitespaces) }
        if addressees.allSatisfy({ $0.isEmpty }) {
            problems.append(FieldError("addressees", "Name at least one addressee: a force, several forces or a national body"))
        }
        var seen: Set<String> = []
        for code in addressees where !code.isEmpty {
            if !seen.insert(code).inserted {
                problems.append(FieldError("addressees", "\(code) is named more than once"))
            } else if !isKnownOrganisation(code) {
                problems.append(FieldError("addressees", "No organisation has the code \(code)"))
            }
        }
        if draft.due == nil { problems.append(FieldError("due", "Enter the due date")) }
        if let criteria {
            for code in draft.criteria where !criteria.contains(code) {
                problems.append(FieldError("criteria", "\(code) is not a criterion of this cycle's framework"))
            }
        }
        if Set(draft.criteria).count != draft.criteria.count {
            problems.append(FieldError("criteria", "Link each criterion once"))
        }
        return problems
    }

    /// The recommendation with its due date moved, the old date kept.
    /// - Throws: `DomainError.forbidden` unless `principal` is a lead inspector; `FieldError`
    ///   on `reason`, `due` or `at` (see `DueDateHistory.changing`).
    public func changingDue(to date: CivilDate, reason: String, by principal: Principal, at: Date) throws -> Recommendation {
        try RecommendationRules.checkCanChangeDueDate(principal)
        var copy = self
        copy.due = try due.changing(to: date, reason: reason, by: principal.userID, at: at)
        return copy
    }
}
