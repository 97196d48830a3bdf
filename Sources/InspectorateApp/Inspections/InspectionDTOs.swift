import Fluent
import Vapor
import InspectorateCore

struct CycleDTO: Content {
    var code: String
    var title: String
    var framework: String
    var selfAssessmentDue, fieldworkStart, fieldworkEnd, moderationDue, publication: String
    var organisations: Int
    var version: Int

    enum CodingKeys: String, CodingKey {
        case code, title, framework, organisations, version, publication
        case selfAssessmentDue = "self_assessment_due"
        case fieldworkStart = "fieldwork_start"
        case fieldworkEnd = "fieldwork_end"
        case moderationDue = "moderation_due"
    }

    init(_ cycle: Cycle, organisations: Int) {
        code = cycle.code
        title = cycle.title
        framework = cycle.framework.reference
        selfAssessmentDue = cycle.selfAssessmentDue
        fieldworkStart = cycle.fieldworkStart
        fieldworkEnd = cycle.fieldworkEnd
        moderationDue = cycle.moderationDue
        publication = cycle.publication
        self.organisations = organisations
        version = cycle.version
    }
}

struct TierChangeDTO: Content {
    var fromTier: String?
    var toTier: String
    var rationale: String
    var marking: String
    var changedBy: String?
    var changedAt: Date

    enum CodingKeys: String, CodingKey {
        case rationale, marking
        case fromTier = "from_tier"
        case toTier = "to_tier"
        case changedBy = "changed_by"
        case changedAt = "changed_at"
    }

    init(_ change: RiskTierChange) {
        fromTier = change.fromTier
        toTier = change.toTier
        rationale = change.rationale
        marking = change.markingValue.description
        changedBy = change.$changedBy.value??.email
        changedAt = change.changedAt
    }
}

struct JudgementDTO: Content {
    var criterion: String
    var title: String
    var level: Int?
    /// Null when the reader's vetting does not cover the assessment's narrative marking.
    var narrative: String?
    var rationale: String?
    var version: Int

    init(_ judgement: Judgement, descriptor: Criterion) {
        criterion = judgement.criterionCode
        title = descriptor.title
        level = judgement.level
        narrative = judgement.narrative
        rationale = judgement.rationale
        version = judgement.version
    }

    init(unjudged criterion: Criterion) {
        self.criterion = criterion.code
        title = criterion.title
        narrative = ""
        rationale = ""
        version = 0
    }
}

struct AssessmentDTO: Content {
    struct AreaResult: Content {
        var area: String
        var level: Int?
        var minimum: Int
        var shortfall: Int
        var met: Bool
    }

    var cycle: String
    var organisation: String
    var kind: AssessmentKind
    var status: AssessmentStatus
    var tier: String?
    var judgements: [JudgementDTO]
    var areas: [AreaResult]
    var overallStage: Int?
    var meetsMinimum: Bool
    /// What still has to be completed before the assessment can be submitted.
    var missing: [String]
    var version: Int
    var narrativeMarking: MarkingDTO
    var narrativesWithheld: Bool

    enum CodingKeys: String, CodingKey {
        case cycle, organisation, kind, status, tier, judgements, areas, missing, version
        case overallStage = "overall_stage"
        case meetsMinimum = "meets_minimum"
        case narrativeMarking = "narrative_marking"
        case narrativesWithheld = "narratives_withheld"
    }

    init(_ assessment: Assessment, cycle: Cycle, member: CycleOrganisation, framework: Framework, judgements: [Judgement],
         narratives: NarrativeAccess) {
        self.cycle = cycle.code
        organisation = member.organisation.code
        kind = assessment.kind
        status = assessment.status
        tier = member.tierCode
        let byCode = Dictionary(judgements.map { ($0.criterionCode, $0) }, uniquingKeysWith: { a, _ in a })
        self.judgements = framework.criteria.map { _, criterion in
            byCode[criterion.code].map { JudgementDTO($0, descriptor: criterion) } ?? JudgementDTO(unjudged: criterion)
        }
        var levels: CriterionLevels = [:]
        for judgement in judgements { if let level = judgement.level { levels[judgement.criterionCode] = level } }
        let result = framework.result(for: levels, tier: member.tierCode.flatMap(framework.tier))
        areas = result.compliance.map { AreaResult(area: $0.area, level: $0.level, minimum: $0.minimum, shortfall: $0.shortfall, met: $0.met) }
        overallStage = result.overallStage
        meetsMinimum = result.meetsMinimum
        missing = AssessmentWorkflow.missing(for: framework, entries: byCode.mapValues(\.entry))
        version = assessment.version
        narrativeMarking = MarkingDTO(narratives.marking)
        narrativesWithheld = !narratives.readable
        if !narratives.readable {
            self.judgements = self.judgements.map { var judgement = $0; judgement.narrative = nil; judgement.rationale = nil; return judgement }
        }
    }
}

extension MarkedRecord {
    func readable(by reader: Reader) -> NarrativeAccess {
        NarrativeAccess(marking: marking, readable: reader.canRead(self))
    }
}

/// Whether a reader may read an assessment's narratives and rationales, and their marking.
struct NarrativeAccess: Sendable {
    var marking: Marking
    var readable: Bool

    /// Decides, and records the read (or the refusal) in the audit trail.
    static func check(_ assessment: Assessment, reader: Reader, actor: AuditActor, on db: any Database) async throws -> NarrativeAccess {
        let record = try await assessment.narrativeRecord(in: reader.scheme, on: db)
        let readable = reader.canRead(record)
        try await Audit.record(AuditEvent(action: "narratives.read", recordType: RecordType.inspectionNarrative.rawValue,
                                          recordID: try assessment.requireID().uuidString, organisationID: assessment.$organisation.id,
                                          outcome: readable ? .success : .denied,
                                          detail: "\(assessment.kind.rawValue) [\(record.marking)]"), actor: actor, on: db)
        return NarrativeAccess(marking: record.marking, readable: readable)
    }

    /// Narrative fields nobody may change without being able to read them.
    func requireReadable(changing narrative: String?, _ rationale: String?) throws {
        guard readable || (narrative == nil && rationale == nil) else {
            throw AppError(status: .forbidden, code: "marking", message: "The narratives are marked \(marking); your vetting does not cover it",
                           field: narrative != nil ? "narrative" : "rationale")
        }
    }
}
