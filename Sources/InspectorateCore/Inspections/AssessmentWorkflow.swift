import Foundation

/// Whose judgement an assessment records. The organisation's claim and the inspectors'
/// judgement are kept apart, never merged.
public enum AssessmentKind: String, CaseIterable, Codable, Sendable {
    case selfAssessment = "self"
    case inspection

    public var displayName: String {
        switch self {
        case .selfAssessment: "Self-assessment"
        case .inspection: "Inspection"
        }
    }
}

/// Workflow status: separate from the levels, which it does not change by itself.
public enum AssessmentStatus: String, CaseIterable, Codable, Sendable {
    case draft, submitted, moderated, final

    public var displayName: String { rawValue.capitalized }

    /// A final assessment is locked: nothing in it changes again.
    public var isLocked: Bool { self == .final }

    /// Position in the workflow: a move to a higher one is forward.
    public var order: Int {
        switch self {
        case .draft: 0
        case .submitted: 1
        case .moderated: 2
        case .final: 3
        }
    }
}

/// One criterion's entry in an assessment, as the workflow rules see it.
public struct JudgementEntry: Equatable, Sendable {
    public var level: Int?
    public var narrative: String
    public var rationale: String

    public init(level: Int?, narrative: String, rationale: String) {
        self.level = level
        self.narrative = narrative
        self.rationale = rationale
    }
}

/// Whether a cycle still takes changes.
public enum CycleStatus: String, CaseIterable, Codable, Sendable {
    case open, closed
}

/// An assessment as the workflow sees it: whose, of what kind, where it stands, in a cycle
/// open or closed.
public struct AssessmentState: Equatable, Sendable {
    public var kind: AssessmentKind
    public var status: AssessmentStatus
    public var organisationID: UUID
    public var cycle: CycleStatus

    public init(kind: AssessmentKind, status: AssessmentStatus, organisationID: UUID, cycle: CycleStatus = .open) {
        self.kind = kind
        self.status = status
        self.organisationID = organisationID
        self.cycle = cycle
    }
}

/// Something a person asks to do to an assessment.
public enum AssessmentAction: Equatable, Sendable {
    /// Change judgements: levels, and (when `text`) narratives or rationales. `reason` is
    /// what a change after submission must give.
    case judge(text: Bool, reason: String?)
    /// Move it through the workflow.
    case move(to: AssessmentStatus, reason: String?)
    /// Change the marking of its narratives; `lowering` when the change widens who may read
    /// them (a lower level, a descriptor or need-to-know group dropped).
    case remark(lowering: Bool)
    /// Attach an evidence file; after submission, with the reason a change needs.
    case attachEvidence(reason: String?)
    /// Copy the final judgements of the cycle before into a draft not yet started: the
    /// inspectorate setting up a cycle, not an author writing.
    case carryForward
}

/// The narratives as the person asking may or may not read them.
public struct NarrativeClearance: Equatable, Sendable {
    /// Whether their vetting and groups cover the narratives' marking.
    public var readable: Bool
    /// The marking, as people read it ("SECRET"), for the refusal.
    public var marking: String

    public init(readable: Bool, marking: String) {
        self.readable = readable
        self.marking = marking
    }
}

/// Who may do what to an assessment, in which state, and what must be complete first: the
/// one rule every path (page, API, CSV import, command line, carry-forward, bulk moves)
/// applies.
///
/// - Drafts are written by the assessment's authors: a self-assessment by the assessed
///   organisation's own members (its members, or for a partner body its partners), an
///   inspection by inspectors and lead inspectors.
/// - Once submitted (and while moderated) only a lead inspector changes judgements, giving a
///   reason each time.
/// - A final assessment is locked; a closed cycle takes no changes.
/// - Nobody changes narratives or rationales their vetting does not cover.
/// - An assessment the person may not see (`AccessRule.canView`) is refused as not found.
public enum AssessmentWorkflow {
    /// The refusal of `action` on `state` by `principal`, saying what role, state or vetting
    /// it needs; nil when it is allowed.
    public static func refusal(
        of action: AssessmentAction, on state: AssessmentState, by principal: Principal, narratives: NarrativeClearance
    ) -> DomainError? {
        let what = state.kind.displayName.lowercased()
        // What the person may not see is answered as absent, on every path: a refusal that
        // named the state would tell an organisation where its unpublished inspection stands.
        guard AccessRule.canView(assessment: state.kind, status: state.status, organisationID: state.organisationID, principal: principal)
        else {
            return .notFound(what)
        }
        if state.cycle == .closed {
            return .refused(
                field: "cycle", message: "The cycle is closed: nothing in it changes",
                needed: ["a lead inspector or an administrator reopens the cycle"])
        }
        switch action {
        case .judge(let text, let reason):
            if let refusal = editRefusal(state.kind, status: state.status, organisationID: state.organisationID, principal: principal) {
                return refusal
            }
            if text && !narratives.readable {
                return .forbidden(
                    reason:
                        "The narratives are marked \(narratives.marking); your vetting and need-to-know groups do not cover it, so you cannot change them",
                    field: "narrative")
            }
            if state.status != .draft && (reason ?? "").isBlank {
                return .incomplete(field: "reason", message: "Give the reason for changing a judgement after submission", missing: [])
            }
            return nil
        case .move(let target, let reason):
            let allowed = transitions(
                from: state.status, kind: state.kind, principal: principal,
                isOwnOrganisation: principal.homeOrganisationID == state.organisationID)
            guard allowed.contains(target) else {
                return .refused(
                    field: "to",
                    message: allowed.isEmpty
                        ? "You cannot move this \(state.status.rawValue) \(what) on: \(whoMoves(from: state.status, kind: state.kind))"
                        : "From \(state.status.rawValue) you may move it to \(allowed.map(\.rawValue).joined(separator: " or "))",
                    needed: [whoMoves(from: state.status, kind: state.kind)])
            }
            if target.order < state.status.order && (reason ?? "").isBlank {
                return .incomplete(field: "reason", message: "Give the reason for sending the \(what) back", missing: [])
            }
            return nil
        case .remark(let lowering):
            if state.status.isLocked {
                return .forbidden(reason: "This \(what) is final and locked: nothing in it changes again", field: "status")
            }
            guard narratives.readable else {
                return .forbidden(
                    reason: "The narratives are marked \(narratives.marking); your vetting and need-to-know groups do not cover it",
                    field: "marking")
            }
            // Raising protects: the assessment's writers, or any lead inspector. Lowering
            // widens who reads: only those who may write in it now.
            let writer = canEdit(state.kind, status: state.status, organisationID: state.organisationID, principal: principal)
            if lowering && !writer {
                return .forbidden(
                    reason: "The marking of these narratives is lowered only by those who may change the \(what) now", field: "marking")
            }
            guard principal.role == .leadInspector || writer else {
                return .forbidden(
                    reason: "The marking of these narratives is changed by those who write the \(what), or a lead inspector",
                    field: "marking")
            }
            return nil
        case .attachEvidence(let reason):
            if let refusal = editRefusal(state.kind, status: state.status, organisationID: state.organisationID, principal: principal) {
                return refusal
            }
            if state.status != .draft && (reason ?? "").isBlank {
                return .incomplete(field: "reason", message: "Give the reason for adding evidence after submission", missing: [])
            }
            return nil
        case .carryForward:
            guard AccessRule.canCreateCycles(principal) else {
                return .forbidden(reason: "Cycles are carried forward by administrators and lead inspectors")
            }
            guard state.status == .draft else {
                return .refused(
                    field: "status", message: "This \(what) is \(state.status.rawValue): only a draft takes what the cycle before decided")
            }
            return nil
        }
    }

    /// Whether this person writes in this assessment as its author or moderator now.
    public static func canEdit(_ kind: AssessmentKind, status: AssessmentStatus, organisationID: UUID, principal: Principal) -> Bool {
        switch status {
        case .final: return false
        case .moderated, .submitted:
            // After submission only the lead inspector changes levels, with a recorded reason.
            return principal.role == .leadInspector
        case .draft:
            switch kind {
            case .selfAssessment: return isOwnPeople(principal, of: organisationID)
            case .inspection: return principal.role == .inspector || principal.role == .leadInspector
            }
        }
    }

    /// The assessed organisation's own people: its members, or (for a partner body) its partners.
    static func isOwnPeople(_ principal: Principal, of organisationID: UUID) -> Bool {
        (principal.role == .organisationMember || principal.role == .partner) && principal.homeOrganisationID == organisationID
    }

    /// Why this person may not write in this assessment now, or nil when they may.
    public static func editRefusal(
        _ kind: AssessmentKind, status: AssessmentStatus, organisationID: UUID, principal: Principal
    ) -> DomainError? {
        if canEdit(kind, status: status, organisationID: organisationID, principal: principal) { return nil }
        let what = kind.displayName.lowercased()
        switch status {
        case .final:
            return .forbidden(reason: "This \(what) is final and locked: nothing in it changes again", field: "status")
        case .submitted, .moderated:
            return .forbidden(
                reason: "This \(what) is \(status.rawValue): only a lead inspector may change it now, giving a reason", field: "status")
        case .draft:
            switch kind {
            case .selfAssessment:
                return .forbidden(reason: "A self-assessment is written by the assessed organisation's own people while it is a draft")
            case .inspection:
                return .forbidden(reason: "An inspection is written by inspectors and lead inspectors while it is a draft")
            }
        }
    }

    /// The next statuses a person may move an assessment to.
    public static func transitions(
        from status: AssessmentStatus, kind: AssessmentKind, principal: Principal,
        isOwnOrganisation: Bool
    ) -> [AssessmentStatus] {
        switch (status, principal.role) {
        case (.draft, .organisationMember), (.draft, .partner):
            return kind == .selfAssessment && isOwnOrganisation ? [.submitted] : []
        case (.draft, .inspector) where kind == .inspection: return [.submitted]
        case (.draft, .leadInspector) where kind == .inspection: return [.submitted]
        case (.submitted, .leadInspector): return [.moderated, .draft]
        case (.moderated, .leadInspector): return [.final, .submitted]
        default: return []
        }
    }

    /// Who may move an assessment on from `status`: what a refusal tells the person asking.
    public static func whoMoves(from status: AssessmentStatus, kind: AssessmentKind) -> String {
        switch status {
        case .draft:
            kind == .selfAssessment
                ? "the organisation's own people submit its self-assessment" : "inspectors and lead inspectors submit an inspection"
        case .submitted, .moderated: "a lead inspector moderates, sends back or finalises it"
        case .final: "a final assessment is locked"
        }
    }

    /// What is missing before an assessment may move on: every criterion needs a level,
    /// and the evidence narrative and rationale that justify it.
    ///
    /// For someone whose vetting does not cover the narratives (`narratives.readable` false)
    /// the list names missing levels only, and ends with a line saying the text's
    /// completeness is not shown: which criteria have text would tell them something about
    /// text they may not read.
    public static func missing(
        for framework: Framework, entries: [String: JudgementEntry], narratives: NarrativeClearance? = nil
    ) -> [String] {
        let readable = narratives?.readable ?? true
        var missing: [String] = []
        var textIncomplete = false
        for (area, criterion) in framework.criteria {
            let entry = entries[criterion.code]
            var parts: [String] = []
            if entry?.level == nil { parts.append("a level") }
            let noNarrative = (entry?.narrative ?? "").isBlank
            let noRationale = (entry?.rationale ?? "").isBlank
            if readable {
                if noNarrative { parts.append("the evidence narrative") }
                if noRationale { parts.append("the rationale") }
            } else if noNarrative || noRationale {
                textIncomplete = true
            }
            if !parts.isEmpty {
                missing.append("\(area.code) / \(criterion.code): \(parts.joined(separator: ", "))")
            }
        }
        if let narratives, !readable, textIncomplete || !missing.isEmpty {
            missing.append("whether each narrative and rationale is given is not shown: they are marked \(narratives.marking)")
        }
        return missing
    }
}
