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

/// Who may do what to an assessment, and what must be complete first.
public enum AssessmentWorkflow {
    /// May this person write levels and narratives in this assessment now?
    public static func canEdit(_ kind: AssessmentKind, status: AssessmentStatus, organisationID: UUID, principal: Principal) -> Bool {
        switch status {
        case .final: return false
        case .moderated, .submitted:
            // After submission only the lead inspector changes levels, with a recorded reason.
            return principal.role == .leadInspector
        case .draft:
            switch kind {
            case .selfAssessment:
                return principal.role == .organisationMember && principal.homeOrganisationID == organisationID
            case .inspection:
                return principal.role == .inspector || principal.role == .leadInspector
            }
        }
    }

    /// Why this person may not write in this assessment now, or nil when they may: the one
    /// place that says what role or state a change needs.
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
                return .forbidden(reason: "A self-assessment is written by the organisation's own members while it is a draft")
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
        case (.draft, .organisationMember) where kind == .selfAssessment && isOwnOrganisation: return [.submitted]
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
                ? "the organisation's own members submit its self-assessment" : "inspectors and lead inspectors submit an inspection"
        case .submitted, .moderated: "a lead inspector moderates, sends back or finalises it"
        case .final: "a final assessment is locked"
        }
    }

    /// What is missing before an assessment may move on: every criterion needs a level,
    /// and the evidence narrative and rationale that justify it.
    public static func missing(for framework: Framework, entries: [String: JudgementEntry]) -> [String] {
        var missing: [String] = []
        for (area, criterion) in framework.criteria {
            let entry = entries[criterion.code]
            var parts: [String] = []
            if entry?.level == nil { parts.append("a level") }
            if (entry?.narrative ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append("the evidence narrative") }
            if (entry?.rationale ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append("the rationale") }
            if !parts.isEmpty {
                missing.append("\(area.code) / \(criterion.code): \(parts.joined(separator: ", "))")
            }
        }
        return missing
    }
}
