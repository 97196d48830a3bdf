import Fluent
import InspectorateCore
import Vapor

/// An assessment with its judgements and results, as the API shows it to one reader.
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
    /// Whether these judgements meet the tier's minimum in every area: absent without a tier.
    var meetsMinimum: Bool?
    /// The day the tier's minimum is required by in this cycle: absent without a tier.
    var minimumRequiredBy: String?
    /// What still has to be completed before the assessment can be submitted.
    var missing: [String]
    var version: Int
    var narrativeMarking: MarkingDTO
    var narrativesWithheld: Bool

    enum CodingKeys: String, CodingKey {
        case cycle, organisation, kind, status, tier, judgements, areas, missing, version
        case overallStage = "overall_stage"
        case meetsMinimum = "meets_minimum"
        case minimumRequiredBy = "minimum_required_by"
        case narrativeMarking = "narrative_marking"
        case narrativesWithheld = "narratives_withheld"
    }

    init(
        _ assessment: Assessment, cycle: Cycle, member: CycleOrganisation, framework: Framework, judgements: [Judgement],
        narratives: NarrativeAccess, reader: Reader
    ) {
        self.cycle = cycle.code
        organisation = member.organisation.code
        kind = assessment.kind
        status = assessment.status
        tier = member.tierCode
        let byCode = Dictionary(judgements.map { ($0.criterionCode, $0) }, uniquingKeysWith: { a, _ in a })
        self.judgements = framework.criteria.map { _, criterion in
            JudgementDTO(JudgementState(byCode[criterion.code], criterion: criterion, narratives: narratives.record), reader: reader)
        }
        var levels: CriterionLevels = [:]
        for judgement in judgements { if let level = judgement.level { levels[judgement.criterionCode] = level } }
        let result = framework.result(for: levels, tier: member.tierCode.flatMap(framework.tier))
        areas = result.compliance.map {
            AreaResult(area: $0.area, level: $0.level, minimum: $0.minimum, shortfall: $0.shortfall, met: $0.met)
        }
        overallStage = result.overallStage
        let tierDefinition = member.tierCode.flatMap(framework.tier)
        meetsMinimum = tierDefinition == nil ? nil : result.meetsMinimum
        minimumRequiredBy = tierDefinition.map(cycle.deadline(of:))
        missing = AssessmentWorkflow.missing(
            for: framework, entries: byCode.mapValues(\.entry),
            narratives: NarrativeClearance(readable: narratives.readable, marking: narratives.marking.description))
        version = assessment.version
        narrativeMarking = MarkingDTO(narratives.marking)
        narrativesWithheld = !narratives.readable
    }
}
