import Fluent
import InspectorateCore
import SQLKit
import Vapor

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

    /// The column a page is ordered by; name breaks ties, so every order is total.
    enum Sort: String, CaseIterable, Sendable {
        case name, stage, tier, region

        init(_ raw: String?) throws {
            guard let raw, !raw.isEmpty else { self = .name; return }
            guard let sort = Sort(rawValue: raw) else {
                throw FieldError("sort", "Sort by one of \(Sort.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self = sort
        }

        /// Organisations not yet inspected (no final stage) and those without a tier or
        /// region sort first.
        var key: SQLQueryString {
            switch self {
            case .name: "o.name"
            case .stage: "COALESCE(CASE WHEN i.status = 'final' THEN i.overall_stage END, 0)"
            case .tier: "COALESCE(co.tier_code, '')"
            case .region: "COALESCE(o.region, '')"
            }
        }

        /// Whether the key is a number (the stage) rather than text.
        var isNumeric: Bool { self == .stage }
    }

    static func descending(_ raw: String?) throws -> Bool {
        switch raw ?? "" {
        case "", "asc": return false
        case "desc": return true
        default: throw FieldError("order", "Order is asc or desc")
        }
    }

    /// Where the next page starts: the sort key, name and code of the last row of the page
    /// before, as an opaque token. It carries only values of a row the reader was shown, and
    /// the next page is found from those values alone, never by looking up an organisation:
    /// so it tells nothing about organisations outside the reader's scope, and a token that
    /// names one is treated like any other (it only says where to start).
    struct Cursor: Codable, Equatable, Sendable {
        var key: String
        var name: String
        var code: String
        /// The order it continues (`stage desc`): a token given with another order is refused,
        /// not read as a key of the wrong kind.
        var order = "name asc"

        var token: String {
            let data = (try? JSONEncoder().encode([key, name, code, order])) ?? Data()
            return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }

        init(key: String, name: String, code: String, order: String = "name asc") {
            self.key = key
            self.name = name
            self.code = code
            self.order = order
        }

        /// - Throws: `FieldError` on `after` for anything that is not a token a page gave.
        init(token: String) throws {
            var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            guard token.count <= 2048, let data = Data(base64Encoded: base64),
                let parts = try? JSONDecoder().decode([String].self, from: data), parts.count == 4
            else { throw FieldError("after", "\"\(token.prefix(40))\" is not the next value of a previous page") }
            self.init(key: parts[0], name: parts[1], code: parts[2], order: parts[3])
        }
    }

    /// Every row the viewer may see, for the summary, the heat map and exports.
    static func rows(
        of cycle: Cycle, framework: Framework, filters: Filters, scope: OrganisationScope, staff: Bool = false, on db: any Database
    ) async throws -> [PictureRow] {
        try await page(of: cycle, framework: framework, filters: filters, scope: scope, staff: staff, after: nil, limit: nil, on: db).rows
    }

    /// One page of rows, from the results stored with each assessment: one query, whatever
    /// the cycle's size. Only final inspections give levels, stages and "meets"; `staff`
    /// (the inspectorate's own people) also see where each inspection stands. `after` is
    /// the token the page before gave (keyset, no offset scan).
    static func page(
        of cycle: Cycle, framework: Framework, filters: Filters, scope: OrganisationScope, staff: Bool = false, after: String?, limit: Int?,
        sort: Sort = .name, descending: Bool = false, on db: any Database
    ) async throws -> (rows: [PictureRow], next: String?) {
        if let tier = filters.tier, framework.tier(tier) == nil {
            throw FieldError("tier", "Unknown tier \"\(tier)\"; use one of \(framework.tiers.map(\.code).joined(separator: ", "))")
        }
        let order = "\(sort.rawValue) \(descending ? "desc" : "asc")"
        let cursor = try after.flatMap { $0.isEmpty ? nil : try Cursor(token: $0) }
        if let cursor, cursor.order != order {
            throw FieldError("after", "This page token continues the order \(cursor.order), not \(order): start again from the first page")
        }
        if let cursor, sort.isNumeric, Int(cursor.key) == nil {
            throw FieldError("after", "This page token is not one a page gave: start again from the first page")
        }
        if scope == .nothing { return ([], nil) }
        let cycleID = try cycle.requireID()
        var conditions: [SQLQueryString] = ["co.cycle_id = \(bind: cycleID)"]
        if case .only(let organisationID) = scope { conditions.append("o.id = \(bind: organisationID)") }
        if let region = filters.region { conditions.append("o.region = \(bind: region)") }
        if let kind = filters.kind { conditions.append("o.kind = \(bind: kind.rawValue)") }
        if let tier = filters.tier { conditions.append("co.tier_code = \(bind: tier)") }
        if let cursor {
            let key: SQLQueryString = sort.isNumeric ? "\(bind: Int(cursor.key) ?? 0)" : "\(bind: cursor.key)"
            let beyond: SQLQueryString = descending ? "<" : ">"
            conditions.append(
                sort == .name && !descending
                    ? "(o.name > \(bind: cursor.name) OR (o.name = \(bind: cursor.name) AND o.code > \(bind: cursor.code)))"
                    : """
                    (\(sort.key) \(beyond) \(key) OR (\(sort.key) = \(key) AND (o.name > \(bind: cursor.name) OR (o.name = \(bind: cursor.name) AND o.code > \(bind: cursor.code)))))
                    """)
        }
        let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
        let limitClause: SQLQueryString = limit.map { "LIMIT \(unsafeRaw: String($0 + 1))" } ?? ""
        let previous: SQLQueryString = cycle.$previous.id.map { "\(bind: $0)" } ?? "NULL"
        let query: SQLQueryString
        if sort == .name && !descending {
            // The page is chosen first, reading organisations in name order from their index
            // (CROSS JOIN tells SQLite to keep that order) until the page is full; only its rows
            // are then joined to their assessments. Joining every row before sorting would cost
            // more than everything else on the page at tens of thousands of organisations.
            query = """
                SELECT m.code, m.name, m.region, m.kind, m.tier_code, i.status AS inspection_status,
                       i.area_levels AS inspected, i.overall_stage AS stage, i.meets_minimum AS meets,
                       CASE WHEN s.status <> 'draft' THEN s.area_levels END AS own, p.area_levels AS before
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
        } else {
            let direction: SQLQueryString = descending ? "DESC" : "ASC"
            query = """
                SELECT o.code, o.name, o.region, o.kind, co.tier_code, i.status AS inspection_status,
                       i.area_levels AS inspected, i.overall_stage AS stage, i.meets_minimum AS meets,
                       CASE WHEN s.status <> 'draft' THEN s.area_levels END AS own, p.area_levels AS before
                FROM organisations o
                JOIN cycle_organisations co ON co.organisation_id = o.id
                LEFT JOIN assessments i ON i.cycle_id = co.cycle_id AND i.organisation_id = o.id AND i.kind = 'inspection'
                LEFT JOIN assessments s ON s.cycle_id = co.cycle_id AND s.organisation_id = o.id AND s.kind = 'self'
                LEFT JOIN assessments p ON p.cycle_id = \(previous) AND p.organisation_id = o.id AND p.kind = 'inspection' AND p.status = 'final'
                WHERE \(whereClause)
                ORDER BY \(sort.key) \(direction), o.name, o.code
                \(limitClause)
                """
        }
        let found = try await BulkRead.rows(query, on: db)
        var rows: [PictureRow] = []
        rows.reserveCapacity(found.count)
        for row in found.prefix(limit ?? found.count) {
            let status = try row.decode(column: "inspection_status", as: String?.self).flatMap(AssessmentStatus.init(rawValue:))
            let final = status == .final
            let tier = try row.decode(column: "tier_code", as: String?.self)
            var picture = PictureRow(
                organisation: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                region: try row.decode(column: "region", as: String?.self), kind: try row.decode(column: "kind", as: String.self),
                tier: tier, areaLevels: final ? try AreaLevels.decode(try row.decode(column: "inspected", as: String?.self)) : [:],
                overallStage: final ? try row.decode(column: "stage", as: Int?.self) : nil,
                meetsMinimum: final && tier != nil ? try row.decode(column: "meets", as: Bool?.self) : nil,
                selfAreaLevels: try AreaLevels.decode(try row.decode(column: "own", as: String?.self)))
            picture.previousAreaLevels = try AreaLevels.decode(try row.decode(column: "before", as: String?.self))
            picture.inspectionStatus = staff ? status : nil
            rows.append(picture)
        }
        let next = limit.flatMap { found.count > $0 ? rows.last : nil }.map { last in
            let key: String =
                switch sort {
                case .name: last.name
                case .stage: String(last.overallStage ?? 0)
                case .tier: last.tier ?? ""
                case .region: last.region ?? ""
                }
            return Cursor(key: key, name: last.name, code: last.organisation, order: order).token
        }
        return (rows, next)
    }

    /// The summary over every row the filters select: cached for those who see every
    /// organisation, computed directly for an organisation's own people (one row).
    static func summary(
        of cycle: Cycle, framework: Framework, filters: Filters, scope: OrganisationScope, on db: any Database
    ) async throws -> PictureSummary {
        let compute = {
            PictureSummary.compute(
                rows: try await rows(of: cycle, framework: framework, filters: filters, scope: scope, on: db), framework: framework)
        }
        guard scope == .all else { return try await compute() }
        let key = "region=\(filters.region ?? "")|kind=\(filters.kind?.rawValue ?? "")|tier=\(filters.tier ?? "")"
        return try await PictureCache.summary(of: cycle, key: key, compute: compute, on: db)
    }
}
