import InspectorateCore
import Vapor

/// The national picture as the API shows it: the summary over every organisation the
/// filters select, and one page of rows.
struct PictureDTO: Content {
    struct Row: Content {
        var organisation, name, kind: String
        var region, tier: String?
        var areas: [String: Int]
        var overallStage: Int?
        var meetsMinimum: Bool?
        var selfAssessment: [String: Int]
        var movement: [String: Int]
        /// Where the inspection stands: for the inspectorate's own staff only.
        var inspectionStatus: AssessmentStatus?
        enum CodingKeys: String, CodingKey {
            case organisation, name, kind, region, tier, areas, movement
            case overallStage = "overall_stage"
            case meetsMinimum = "meets_minimum"
            case selfAssessment = "self_assessment"
            case inspectionStatus = "inspection_status"
        }
    }
    /// Each figure with the count it is out of: `meeting_minimum` of `inspected_with_tier`,
    /// `stage_distribution` of `inspected`, and so on.
    struct Summary: Content {
        var organisations, inspected, tiered, inspectedWithTier, meetingMinimum, tierNotSet, notYetInspected: Int
        var meetingByArea: [String: Int]
        var stageDistribution: [String: Int]
        var calibrationByArea: [String: Double]
        var calibrationOrganisations: Int
        var movementByArea: [String: Double]
        var movementOrganisations: Int
        enum CodingKeys: String, CodingKey {
            case organisations, inspected, tiered
            case inspectedWithTier = "inspected_with_tier"
            case meetingMinimum = "meeting_minimum"
            case tierNotSet = "tier_not_set"
            case notYetInspected = "not_yet_inspected"
            case meetingByArea = "meeting_minimum_by_area"
            case stageDistribution = "stage_distribution"
            case calibrationByArea = "calibration_by_area"
            case calibrationOrganisations = "calibration_organisations"
            case movementByArea = "movement_by_area"
            case movementOrganisations = "movement_organisations"
        }
    }
    var cycle: String
    var framework: String
    var areas: [String]
    var summary: Summary
    var organisations: [Row]
    /// The day each tier's minimum is required by in this cycle (tier code to YYYY-MM-DD).
    var deadlines: [String: String]
    /// Pass as `after` for the next page; absent on the last.
    var next: String?

    init(cycle: Cycle, framework: Framework, summary: PictureSummary, rows: [PictureRow], next: String?) {
        self.next = next
        self.cycle = cycle.code
        self.framework = framework.reference
        areas = framework.areas.map(\.code)
        deadlines = Dictionary(uniqueKeysWithValues: framework.tiers.map { ($0.code, cycle.deadline(of: $0)) })
        self.summary = Summary(
            organisations: summary.organisations, inspected: summary.inspected, tiered: summary.tiered,
            inspectedWithTier: summary.inspectedWithTier, meetingMinimum: summary.meetingMinimum, tierNotSet: summary.tierNotSet,
            notYetInspected: summary.notYetInspected, meetingByArea: summary.meetingByArea,
            stageDistribution: Dictionary(uniqueKeysWithValues: summary.stageDistribution.map { (String($0.key), $0.value) }),
            calibrationByArea: summary.calibrationByArea.mapValues { ($0 * 100).rounded() / 100 },
            calibrationOrganisations: summary.calibrationOrganisations,
            movementByArea: summary.movementByArea.mapValues { ($0 * 100).rounded() / 100 },
            movementOrganisations: summary.movementOrganisations)
        organisations = rows.map {
            Row(
                organisation: $0.organisation, name: $0.name, kind: $0.kind, region: $0.region, tier: $0.tier, areas: $0.areaLevels,
                overallStage: $0.overallStage, meetsMinimum: $0.meetsMinimum, selfAssessment: $0.selfAreaLevels,
                movement: framework.movement(previous: $0.previousAreaLevels, current: $0.areaLevels), inspectionStatus: $0.inspectionStatus
            )
        }
    }
}
