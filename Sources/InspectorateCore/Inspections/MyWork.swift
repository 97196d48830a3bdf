import Foundation

/// One organisation in an open cycle, as the work list reads it: the dates the cycle set
/// and where each of its assessments stands (`nil` when not yet started, which is a draft).
public struct WorkCandidate: Equatable, Sendable {
    public var cycleCode: String
    public var cycleTitle: String
    public var organisationID: UUID
    public var organisationCode: String
    public var organisationName: String
    public var selfAssessment: AssessmentStatus?
    public var inspection: AssessmentStatus?
    public var tierSet: Bool
    /// The cycle's calendar dates (YYYY-MM-DD).
    public var dates: CycleDates

    public init(
        cycleCode: String, cycleTitle: String, organisationID: UUID, organisationCode: String, organisationName: String,
        selfAssessment: AssessmentStatus?, inspection: AssessmentStatus?, tierSet: Bool, dates: CycleDates
    ) {
        self.cycleCode = cycleCode
        self.cycleTitle = cycleTitle
        self.organisationID = organisationID
        self.organisationCode = organisationCode
        self.organisationName = organisationName
        self.selfAssessment = selfAssessment
        self.inspection = inspection
        self.tierSet = tierSet
        self.dates = dates
    }
}

/// A cycle's dates, as calendar days (YYYY-MM-DD).
public struct CycleDates: Equatable, Sendable {
    public var selfAssessmentDue: String
    public var fieldworkStart: String
    public var fieldworkEnd: String
    public var moderationDue: String
    public var publication: String

    public init(selfAssessmentDue: String, fieldworkStart: String, fieldworkEnd: String, moderationDue: String, publication: String) {
        self.selfAssessmentDue = selfAssessmentDue
        self.fieldworkStart = fieldworkStart
        self.fieldworkEnd = fieldworkEnd
        self.moderationDue = moderationDue
        self.publication = publication
    }
}

/// What a person is asked to do next.
public enum WorkKind: String, CaseIterable, Codable, Sendable {
    /// Write and submit a draft assessment.
    case complete
    /// Moderate a submitted assessment (or send it back).
    case moderate
    /// Finalise a moderated assessment.
    case finalise
    /// Set an organisation's risk tier.
    case setTier = "set_tier"

    /// The heading the home page gives a group of these.
    public var heading: String {
        switch self {
        case .complete: "To complete and submit"
        case .moderate: "Waiting for your moderation"
        case .finalise: "Moderated, to finalise"
        case .setTier: "Risk tier not set"
        }
    }
}

/// One thing due from a person: what, for which organisation in which cycle, and by when.
public struct WorkItem: Equatable, Sendable {
    public var kind: WorkKind
    public var cycleCode: String
    public var cycleTitle: String
    public var organisationCode: String
    public var organisationName: String
    /// The assessment concerned; nil for a risk tier.
    public var assessment: AssessmentKind?
    /// The cycle's date this is due by (YYYY-MM-DD).
    public var due: String
}

/// What is due from a person across open cycles. It asks the workflow rule
/// (`AssessmentWorkflow.transitions`) and the tier rule (`AccessRule.canSetRiskTier`), so the
/// list never offers what the person would then be refused.
public enum MyWork {
    /// The items for `principal`, earliest due first, then by cycle, organisation name and kind.
    /// Drafts are due by the self-assessment date (self-assessments) or the end of fieldwork
    /// (inspections); moderation by the moderation date; finalising by publication; tiers by
    /// the start of fieldwork, since fieldwork checks each organisation against its tier.
    public static func items(for principal: Principal, candidates: [WorkCandidate]) -> [WorkItem] {
        var items: [WorkItem] = []
        for candidate in candidates {
            guard AccessRule.canView(organisation: candidate.organisationID, principal: principal) else { continue }
            for kind in AssessmentKind.allCases {
                let status = (kind == .selfAssessment ? candidate.selfAssessment : candidate.inspection) ?? .draft
                let next = AssessmentWorkflow.transitions(
                    from: status, kind: kind, principal: principal,
                    isOwnOrganisation: principal.homeOrganisationID == candidate.organisationID)
                let work: (WorkKind, String)? =
                    switch status {
                    case .draft where next.contains(.submitted):
                        (.complete, kind == .selfAssessment ? candidate.dates.selfAssessmentDue : candidate.dates.fieldworkEnd)
                    case .submitted where next.contains(.moderated): (.moderate, candidate.dates.moderationDue)
                    case .moderated where next.contains(.final): (.finalise, candidate.dates.publication)
                    default: nil
                    }
                if let (what, due) = work { items.append(item(what, candidate, assessment: kind, due: due)) }
            }
            if !candidate.tierSet && AccessRule.canSetRiskTier(principal) {
                items.append(item(.setTier, candidate, assessment: nil, due: candidate.dates.fieldworkStart))
            }
        }
        return items.sorted {
            ($0.due, $0.cycleCode, $0.organisationName, $0.organisationCode, $0.assessment?.rawValue ?? "")
                < ($1.due, $1.cycleCode, $1.organisationName, $1.organisationCode, $1.assessment?.rawValue ?? "")
        }
    }

    static func item(_ kind: WorkKind, _ candidate: WorkCandidate, assessment: AssessmentKind?, due: String) -> WorkItem {
        WorkItem(
            kind: kind, cycleCode: candidate.cycleCode, cycleTitle: candidate.cycleTitle, organisationCode: candidate.organisationCode,
            organisationName: candidate.organisationName, assessment: assessment, due: due)
    }
}
