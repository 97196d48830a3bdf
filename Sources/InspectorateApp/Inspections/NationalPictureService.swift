import Fluent
import SQLKit
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

    /// Every row the viewer may see, for the summary, the heat map and exports.
    static func rows(of cycle: Cycle, framework: Framework, filters: Filters, scope: OrganisationScope, on db: any Database) async throws -> [PictureRow] {
        try await page(of: cycle, framework: framework, filters: filters, scope: scope, after: nil, limit: nil, on: db).rows
    }

    /// One page of rows in name order, from the results stored with each assessment: one
    /// query, whatever the cycle's size. `after` is the code of the last organisation of
    /// the page before (keyset, no offset scan).
    static func page(of cycle: Cycle, framework: Framework, filters: Filters, scope: OrganisationScope, after: String?, limit: Int?,
                     on db: any Database) async throws -> (rows: [PictureRow], next: String?) {
        if let tier = filters.tier, framework.tier(tier) == nil {
            throw AppError.invalid("tier", "Unknown tier \"\(tier)\"; use one of \(framework.tiers.map(\.code).joined(separator: ", "))")
        }
        if scope == .nothing { return ([], nil) }
        let cycleID = try cycle.requireID()
        var conditions: [SQLQueryString] = ["co.cycle_id = \(bind: cycleID)"]
        if case .only(let organisationID) = scope { conditions.append("o.id = \(bind: organisationID)") }
        if let region = filters.region { conditions.append("o.region = \(bind: region)") }
        if let kind = filters.kind { conditions.append("o.kind = \(bind: kind.rawValue)") }
        if let tier = filters.tier { conditions.append("co.tier_code = \(bind: tier)") }
        if let after {
            conditions.append("""
                (o.name > (SELECT a.name FROM organisations a WHERE a.code = \(bind: after))
                 OR (o.name = (SELECT a.name FROM organisations a WHERE a.code = \(bind: after)) AND o.code > \(bind: after)))
                """)
        }
        let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
        let previous: SQLQueryString = cycle.$previous.id.map { "\(bind: $0)" } ?? "NULL"
        let limitClause: SQLQueryString = limit.map { "LIMIT \(unsafeRaw: String($0 + 1))" } ?? ""
        // The page is chosen first, reading organisations in name order from their index
        // (CROSS JOIN tells SQLite to keep that order) until the page is full; only its rows
        // are then joined to their assessments. Joining every row before sorting would cost
        // more than everything else on the page at tens of thousands of organisations.
        let query: SQLQueryString = """
            SELECT m.code, m.name, m.region, m.kind, m.tier_code,
                   i.area_levels AS inspected, i.overall_stage AS stage, i.meets_minimum AS meets,
                   s.area_levels AS own, p.area_levels AS before
            FROM (SELECT o.id, o.code, o.name, o.region, o.kind, co.tier_code
                  FROM organisations o
                  CROSS JOIN cycle_organisations co
                  WHERE co.organisation_id = o.id AND \(whereClause)
                  ORDER BY o.name, o.code
                  \(limitClause)) m
            LEFT JOIN assessments i ON i.cycle_id = \(bind: cycleID) AND i.organisation_id = m.id AND i.kind = 'inspection'
            LEFT JOIN assessments s ON s.cycle_id = \(bind: cycleID) AND s.organisation_id = m.id AND s.kind = 'self'
            LEFT JOIN assessments p ON p.cycle_id = \(previous) AND p.organisation_id = m.id AND p.kind = 'inspection' AND p.status = 'final'
            ORDER BY m.name, m.code
            """
        let decoder = JSONDecoder()
        func levels(_ json: String?) -> [String: Int] {
            guard let json, json != "{}" else { return [:] }
            return (try? decoder.decode([String: Int].self, from: Data(json.utf8))) ?? [:]
        }
        let found = try await BulkRead.rows(query, on: db)
        var rows: [PictureRow] = []
        rows.reserveCapacity(found.count)
        for row in found.prefix(limit ?? found.count) {
            let inspected = levels(try row.decode(column: "inspected", as: String?.self))
            var picture = PictureRow(
                organisation: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                region: try row.decode(column: "region", as: String?.self), kind: try row.decode(column: "kind", as: String.self),
                tier: try row.decode(column: "tier_code", as: String?.self), areaLevels: inspected,
                overallStage: try row.decode(column: "stage", as: Int?.self),
                meetsMinimum: inspected.isEmpty ? nil : try row.decode(column: "meets", as: Bool?.self),
                selfAreaLevels: levels(try row.decode(column: "own", as: String?.self)))
            picture.previousAreaLevels = levels(try row.decode(column: "before", as: String?.self))
            rows.append(picture)
        }
        let next = limit.flatMap { found.count > $0 ? rows.last?.organisation : nil }
        return (rows, next)
    }

    /// The summary over every row the filters select: cached for those who see every
    /// organisation, computed directly for an organisation's own people (one row).
    static func summary(of cycle: Cycle, framework: Framework, filters: Filters, scope: OrganisationScope, on db: any Database) async throws -> PictureSummary {
        let compute = { PictureSummary.compute(rows: try await rows(of: cycle, framework: framework, filters: filters, scope: scope, on: db), framework: framework) }
        guard scope == .all else { return try await compute() }
        let key = "region=\(filters.region ?? "")|kind=\(filters.kind?.rawValue ?? "")|tier=\(filters.tier ?? "")"
        return try await PictureCache.summary(of: cycle, framework: framework, filters: filters, key: key, compute: compute, on: db)
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
    /// Pass as `after` for the next page; absent on the last.
    var next: String?

    init(cycle: Cycle, framework: Framework, summary: PictureSummary, rows: [PictureRow], next: String?) {
        self.next = next
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
