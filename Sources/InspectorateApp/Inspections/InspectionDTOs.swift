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
    var narrative: String
    var rationale: String
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

    enum CodingKeys: String, CodingKey {
        case cycle, organisation, kind, status, tier, judgements, areas, missing, version
        case overallStage = "overall_stage"
        case meetsMinimum = "meets_minimum"
    }

    init(_ assessment: Assessment, cycle: Cycle, member: CycleOrganisation, framework: Framework, judgements: [Judgement]) {
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
    }
}
