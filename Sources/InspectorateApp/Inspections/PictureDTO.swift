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
        enum CodingKeys: String, CodingKey {
            case organisation, name, kind, region, tier, areas, movement
            case overallStage = "overall_stage"
            case meetsMinimum = "meets_minimum"
            case selfAssessment = "self_assessment"
        }
    }
    struct Summary: Content {
        var organisations, assessed: Int
        var meetingMinimum: Int
        var meetingByArea: [String: Int]
        var stageDistribution: [String: Int]
        var calibrationByArea: [String: Double]
        var movementByArea: [String: Double]
        enum CodingKeys: String, CodingKey {
            case organisations, assessed
            case movementByArea = "movement_by_area"
            case meetingMinimum = "meeting_minimum"
            case meetingByArea = "meeting_minimum_by_area"
            case stageDistribution = "stage_distribution"
            case calibrationByArea = "calibration_by_area"
        }
    }
    var cycle: String
    var framework: String
    var areas: [String]
    var summary: Summary
    var organisations: [Row]
    /// Pass as `after` for the next page; absent on the last.
    var next: String?

    init(cycle: Cycle, framework: Framework, summary: PictureSummary, rows: [PictureRow], next: String?) {
        self.next = next
        self.cycle = cycle.code
        self.framework = framework.reference
        areas = framework.areas.map(\.code)
        self.summary = Summary(
            organisations: summary.organisations, assessed: summary.assessed, meetingMinimum: summary.meetingMinimum,
            meetingByArea: summary.meetingByArea,
            stageDistribution: Dictionary(uniqueKeysWithValues: summary.stageDistribution.map { (String($0.key), $0.value) }),
            calibrationByArea: summary.calibrationByArea, movementByArea: summary.movementByArea)
        organisations = rows.map {
            Row(
                organisation: $0.organisation, name: $0.name, kind: $0.kind, region: $0.region, tier: $0.tier, areas: $0.areaLevels,
                overallStage: $0.overallStage, meetsMinimum: $0.meetsMinimum, selfAssessment: $0.selfAreaLevels,
                movement: framework.movement(previous: $0.previousAreaLevels, current: $0.areaLevels))
        }
    }
}
