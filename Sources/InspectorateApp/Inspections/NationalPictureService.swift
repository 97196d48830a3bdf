import Fluent
import Vapor
import InspectorateCore

/// The national picture of a cycle: one row per organisation the viewer may see, built
/// from the results stored with each assessment (two queries, whatever the size).
enum NationalPictureService {
    struct Filters: Sendable {
        var region: String?
        var kind: OrganisationKind?
        var tier: String?

        init(region: String?, kind: String?, tier: String?) throws {
            let organisations = try OrganisationQuery(region: region, kind: kind, sort: nil, order: nil)
            self.region = organisations.region
            self.kind = organisations.kind
            self.tier = (tier ?? "").isEmpty ? nil : tier
        }
    }

    static func rows(of cycle: Cycle, framework: Framework, filters: Filters, scope: OrganisationScope, on db: any Database) async throws -> [PictureRow] {
        if let tier = filters.tier, framework.tier(tier) == nil {
            throw AppError.invalid("tier", "Unknown tier \"\(tier)\"; use one of \(framework.tiers.map(\.code).joined(separator: ", "))")
        }
        let members = try await CycleService.members(of: cycle, scope: scope, on: db).filter { member in
            (filters.region == nil || member.organisation.region == filters.region)
                && (filters.kind == nil || member.organisation.kind == filters.kind)
                && (filters.tier == nil || member.tierCode == filters.tier)
        }
        let assessments = try await Assessment.query(on: db).filter(\.$cycle.$id == cycle.requireID()).all()
        var inspection: [UUID: Assessment] = [:]
        var own: [UUID: Assessment] = [:]
        for assessment in assessments {
            if assessment.kind == .inspection { inspection[assessment.$organisation.id] = assessment } else { own[assessment.$organisation.id] = assessment }
        }
        var previous: [UUID: [String: Int]] = [:]
        if let earlier = cycle.$previous.id {
            for assessment in try await Assessment.query(on: db).filter(\.$cycle.$id == earlier).filter(\.$kind == .inspection).filter(\.$status == .final).all() {
                previous[assessment.$organisation.id] = assessment.areaLevels
            }
        }
        return members.map { member in
            let id = member.$organisation.id
            let graded = inspection[id]
            let levels = graded?.areaLevels ?? [:]
            var row = PictureRow(organisation: member.organisation.code, name: member.organisation.name, region: member.organisation.region,
                              kind: member.organisation.kind.rawValue, tier: member.tierCode, areaLevels: levels,
                              overallStage: graded?.overallStage, meetsMinimum: levels.isEmpty ? nil : graded?.meetsMinimum,
                              selfAreaLevels: own[id]?.areaLevels ?? [:])
            row.previousAreaLevels = previous[id] ?? [:]
            return row
        }
    }
}

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

    init(cycle: Cycle, framework: Framework, rows: [PictureRow]) {
        let summary = PictureSummary.compute(rows: rows, framework: framework)
        self.cycle = cycle.code
        self.framework = framework.reference
        areas = framework.areas.map(\.code)
        self.summary = Summary(organisations: summary.organisations, assessed: summary.assessed, meetingMinimum: summary.meetingMinimum,
                               meetingByArea: summary.meetingByArea,
                               stageDistribution: Dictionary(uniqueKeysWithValues: summary.stageDistribution.map { (String($0.key), $0.value) }),
                               calibrationByArea: summary.calibrationByArea, movementByArea: summary.movementByArea)
        organisations = rows.map {
            Row(organisation: $0.organisation, name: $0.name, kind: $0.kind, region: $0.region, tier: $0.tier, areas: $0.areaLevels,
                overallStage: $0.overallStage, meetsMinimum: $0.meetsMinimum, selfAssessment: $0.selfAreaLevels,
                movement: framework.movement(previous: $0.previousAreaLevels, current: $0.areaLevels))
        }
    }
}
