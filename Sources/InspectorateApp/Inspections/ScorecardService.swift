import Fluent
import InspectorateCore
import Vapor

/// One organisation in one cycle, as a reader may see it: its tier, the minimum and the day
/// it is required by, and per area its own level, the inspected level (a final inspection's
/// only), the gap, movement since the cycle before and the calibration of its claim.
/// The page and the API show the same scorecard.
struct Scorecard: Sendable {
    struct Area: Sendable {
        var code: String
        var title: String
        /// The organisation's own level, from its self-assessment once submitted.
        var own: Int?
        /// The inspected level, from a final inspection.
        var inspected: Int?
        var minimum: Int?
        /// Levels short of the minimum (0: met); nil without a tier or a final inspection.
        var gap: Int?
        /// Change since the previous cycle's final inspection.
        var movement: Int?
        /// Inspected minus own.
        var calibration: Int?
    }

    var cycle: Cycle
    var organisation: Organisation
    var tier: RiskTier?
    /// The day the tier's minimum is required by, in this cycle.
    var deadline: String?
    var areas: [Area]
    var overallStage: Int?
    /// Meets its tier's minimum: nil without a tier or a final inspection.
    var meetsMinimum: Bool?
    /// Where each assessment stands, when the reader may know.
    var selfStatus: AssessmentStatus?
    var inspectionStatus: AssessmentStatus?
    var previousCycle: String?
}

enum ScorecardService {
    static func scorecard(
        cycle: Cycle, member: CycleOrganisation, framework: Framework, principal: Principal, on db: any Database
    ) async throws -> Scorecard {
        let organisationID = member.$organisation.id
        let assessments = try await Assessment.query(on: db).filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$organisation.$id == organisationID).all()
        let own = assessments.first { $0.kind == .selfAssessment }
        let inspection = assessments.first { $0.kind == .inspection }
        let final = inspection?.status == .final ? inspection : nil
        let previous = try await CycleService.visiblePrevious(of: cycle, scope: AccessRule.organisationScope(for: principal), on: db)
        var before: [String: Int] = [:]
        if let previous {
            let earlier = try await Assessment.query(on: db).filter(\.$cycle.$id == previous.requireID())
                .filter(\.$organisation.$id == organisationID).filter(\.$kind == .inspection).filter(\.$status == .final).first()
            before = try earlier?.areaLevels ?? [:]
        }
        let tier = member.tierCode.flatMap(framework.tier)
        // As on the picture: an organisation's own claim counts once it is submitted.
        let ownLevels = own?.status == .draft ? [:] : try own?.areaLevels ?? [:]
        let graded = try final?.areaLevels ?? [:]
        let areas = framework.areas.map { area in
            // A tier that names no minimum for an area asks only the scale's lowest level, as
            // the picture and the export count it.
            let minimum = tier.map { $0.minimums[area.code] ?? framework.levels.lowerBound }
            let level = graded[area.code]
            return Scorecard.Area(
                code: area.code, title: area.title, own: ownLevels[area.code], inspected: level, minimum: minimum,
                gap: level.flatMap { level in minimum.map { max(0, $0 - level) } },
                movement: level.flatMap { level in before[area.code].map { level - $0 } },
                calibration: level.flatMap { level in ownLevels[area.code].map { level - $0 } })
        }
        let staff = AccessRule.organisationScope(for: principal) == .all
        return Scorecard(
            cycle: cycle, organisation: member.organisation, tier: tier, deadline: tier.map(cycle.deadline(of:)), areas: areas,
            overallStage: final?.overallStage, meetsMinimum: tier != nil ? final?.meetsMinimum : nil,
            selfStatus: own?.status,
            inspectionStatus: staff || inspection?.status == .final ? inspection?.status : nil,
            previousCycle: previous?.code)
    }
}

/// A scorecard as the API shows it.
struct ScorecardDTO: Content {
    struct Area: Content {
        var area: String
        var title: String
        var selfAssessed: Int?
        var inspected: Int?
        var minimum: Int?
        var gap: Int?
        var movement: Int?
        var calibration: Int?
        enum CodingKeys: String, CodingKey {
            case area, title, inspected, minimum, gap, movement, calibration
            case selfAssessed = "self_assessed"
        }
    }

    var cycle: String
    var organisation: String
    var name: String
    var tier: String?
    var minimumRequiredBy: String?
    var areas: [Area]
    var overallStage: Int?
    var meetsMinimum: Bool?
    var selfAssessmentStatus: AssessmentStatus?
    var inspectionStatus: AssessmentStatus?
    var previousCycle: String?

    enum CodingKeys: String, CodingKey {
        case cycle, organisation, name, tier, areas
        case minimumRequiredBy = "minimum_required_by"
        case overallStage = "overall_stage"
        case meetsMinimum = "meets_minimum"
        case selfAssessmentStatus = "self_assessment_status"
        case inspectionStatus = "inspection_status"
        case previousCycle = "previous_cycle"
    }

    init(_ card: Scorecard) {
        cycle = card.cycle.code
        organisation = card.organisation.code
        name = card.organisation.name
        tier = card.tier?.code
        minimumRequiredBy = card.deadline
        areas = card.areas.map {
            Area(
                area: $0.code, title: $0.title, selfAssessed: $0.own, inspected: $0.inspected, minimum: $0.minimum, gap: $0.gap,
                movement: $0.movement, calibration: $0.calibration)
        }
        overallStage = card.overallStage
        meetsMinimum = card.meetsMinimum
        selfAssessmentStatus = card.selfStatus
        inspectionStatus = card.inspectionStatus
        previousCycle = card.previousCycle
    }
}
