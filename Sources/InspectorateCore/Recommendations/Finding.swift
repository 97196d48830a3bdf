import Foundation

/// What an inspection found, as today's inspectorate of constabulary reports it (DOMAIN.md,
/// Grading scales and Recommendations and follow-up). Stored by raw value; never rename.
public enum FindingKind: String, CaseIterable, Codable, Sendable {
    /// Always carries at least one recommendation.
    case causeOfConcern = "cause_of_concern"
    /// A cause of concern published ahead of the report when public safety needs it; it
    /// carries recommendations as any cause of concern does.
    case acceleratedCauseOfConcern = "accelerated_cause_of_concern"
    /// Carries no recommendations.
    case areaForImprovement = "area_for_improvement"
    /// Practice worth sharing; carries no recommendations.
    case notablePractice = "notable_practice"

    public var displayName: String {
        switch self {
        case .causeOfConcern: "Cause of concern"
        case .acceleratedCauseOfConcern: "Accelerated cause of concern"
        case .areaForImprovement: "Area for improvement"
        case .notablePractice: "Notable practice"
        }
    }

    /// Causes of concern (accelerated or not) must carry recommendations; the others carry none.
    public var carriesRecommendations: Bool {
        self == .causeOfConcern || self == .acceleratedCauseOfConcern
    }

    /// Published before the report it belongs to.
    public var isPublishedAhead: Bool { self == .acceleratedCauseOfConcern }
}

/// Who signed a finding off, and when. A signed-off finding is locked.
public struct FindingSignOff: Equatable, Sendable, Codable {
    public var by: UUID
    public var at: Date

    public init(by: UUID, at: Date) {
        self.by = by
        self.at = at
    }
}

/// A finding about one organisation, or (for a thematic or national inspection) about the
/// service as a whole, linked to the framework criteria and areas it concerns. Written by
/// inspectors, signed off by a lead inspector; its text is marked like a narrative.
public struct Finding: Equatable, Sendable {
    public var id: UUID
    public var cycle: String
    public var kind: FindingKind
    /// Organisation code; nil for a finding about the service as a whole.
    public var organisation: String?
    public var title: String
    public var text: String
    /// Criterion codes of the cycle's framework.
    public var criteria: [String]
    /// Area codes of the cycle's framework.
    public var areas: [String]
    public var marking: Marking
    /// Who wrote it (inspectors or lead inspectors).
    public var authors: [UUID]
    /// The recommendations it carries.
    public var recommendations: [RecommendationReference]
    public var signOff: FindingSignOff?

    public init(
        id: UUID, cycle: String, kind: FindingKind, organisation: String?, title: String, text: String, criteria: [String],
        areas: [String], marking: Marking, authors: [UUID], recommendations: [RecommendationReference] = [],
        signOff: FindingSignOff? = nil
    ) {
        self.id = id
        self.cycle = cycle
        self.kind = kind
        self.organisation = organisation
        self.title = title
        self.text = text
        self.criteria = criteria
        self.areas = areas
        self.marking = marking
        self.authors = authors
        self.recommendations = recommendations
        self.signOff = signOff
    }

    public var isSignedOff: Bool { signOff != nil }
}

/// The rules for writing and signing off findings.
public enum FindingRules {
    /// Every problem with a finding's content, each on its field: a title and text; at
    /// least one criterion or area, each in `framework` (when given); a marking `scheme`
    /// accepts (when given); recommendations on a cause of concern and none on the others.
    public static func problems(in finding: Finding, framework: Framework? = nil, scheme: MarkingScheme? = nil) -> [FieldError] {
        var problems: [FieldError] = []
        if !finding.title.hasText { problems.append(FieldError("title", "Enter the finding's title")) }
        if !finding.text.hasText { problems.append(FieldError("text", "Enter the finding's text")) }
        if finding.criteria.isEmpty && finding.areas.isEmpty {
            problems.append(FieldError("criteria", "Link the finding to at least one criterion or area it concerns"))
        }
        if let framework {
            let criteria = Set(framework.criteria.map(\.criterion.code))
            for code in finding.criteria where !criteria.contains(code) {
                problems.append(FieldError("criteria", "\(code) is not a criterion of \(framework.reference)"))
            }
            for code in finding.areas where framework.area(code) == nil {
                problems.append(FieldError("areas", "\(code) is not an area of \(framework.reference)"))
            }
        }
        if let scheme { problems += scheme.check(finding.marking) }
        if Set(finding.recommendations).count != finding.recommendations.count {
            problems.append(FieldError("recommendations", "Link each recommendation once"))
        }
        if finding.kind.carriesRecommendations && finding.recommendations.isEmpty {
            problems.append(FieldError("recommendations", "\(finding.kind.displayName) carries at least one recommendation"))
        }
        if !finding.kind.carriesRecommendations && !finding.recommendations.isEmpty {
            problems.append(
                FieldError(
                    "recommendations",
                    "\(finding.kind.displayName) carries no recommendations; make it a cause of concern to recommend something"
                ))
        }
        if finding.authors.isEmpty { problems.append(FieldError("authors", "A finding has at least one author")) }
        return problems
    }

    /// Throws unless `principal` may write or change `finding` now: inspectors and lead
    /// inspectors, until it is signed off.
    /// - Throws: `DomainError.forbidden` naming the roles; `.refused` once signed off.
    public static func checkCanEdit(_ finding: Finding, principal: Principal) throws(DomainError) {
        guard RecommendationRules.canWriteFindings(principal) else {
            throw .forbidden(reason: "Findings are written by \(RecommendationRules.inspectorsText)")
        }
        if finding.isSignedOff {
            throw .refused(
                field: nil, message: "This finding is signed off and locked",
                needed: ["a finding that is not yet signed off"])
        }
    }

    /// The finding signed off by `principal` at `at`.
    /// - Throws: `DomainError.forbidden` unless a lead inspector; `.refused` when already
    ///   signed off; `ValidationErrors` listing every content problem (a cause of concern
    ///   without a recommendation among them).
    public static func signOff(
        _ finding: Finding, by principal: Principal, at: Date, framework: Framework? = nil, scheme: MarkingScheme? = nil
    ) throws -> Finding {
        guard RecommendationRules.canSignOffFindings(principal) else {
            throw DomainError.forbidden(reason: "Findings are signed off by lead inspectors")
        }
        if let existing = finding.signOff {
            throw DomainError.refused(
                field: nil, message: "This finding was already signed off at \(existing.at)", needed: ["a finding not yet signed off"])
        }
        let problems = problems(in: finding, framework: framework, scheme: scheme)
        try ValidationErrors(problems).throwIfAny()
        var signed = finding
        signed.signOff = FindingSignOff(by: principal.userID, at: at)
        return signed
    }
}
