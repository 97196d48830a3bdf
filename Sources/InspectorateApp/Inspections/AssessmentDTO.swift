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
        meetsMinimum = result.meetsMinimum
        missing = AssessmentWorkflow.missing(for: framework, entries: byCode.mapValues(\.entry))
        version = assessment.version
        narrativeMarking = MarkingDTO(narratives.marking)
        narrativesWithheld = !narratives.readable
    }
}
