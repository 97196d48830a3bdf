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

        /// Unassessed organisations (no stage) and those without a tier or region sort first.
        var key: SQLQueryString {
            switch self {
            case .name: "o.name"
            case .stage: "COALESCE(i.overall_stage, 0)"
            case .tier: "COALESCE(co.tier_code, '')"
            case .region: "COALESCE(o.region, '')"
            }
        }
    }

    static func descending(_ raw: String?) throws -> Bool {
        switch raw ?? "" {
        case "", "asc": return false
        case "desc": return true
        default: throw FieldError("order", "Order is asc or desc")
        }
    }

    /// Every row the viewer may see, for the summary, the heat map and exports.
    static func rows(
        of cycle: Cycle, framework: Framework, filters: Filters, scope: OrganisationScope, on db: any Database
    ) async throws -> [PictureRow] {
        try await page(of: cycle, framework: framework, filters: filters, scope: scope, after: nil, limit: nil, on: db).rows
    }

    /// One page of rows in name order, from the results stored with each assessment: one
    /// query, whatever the cycle's size. `after` is the code of the last organisation of
    /// the page before (keyset, no offset scan).
    static func page(
        of cycle: Cycle, framework: Framework, filters: Filters, scope: OrganisationScope, after: String?, limit: Int?,
        sort: Sort = .name, descending: Bool = false, on db: any Database
    ) async throws -> (rows: [PictureRow], next: String?) {
        if let tier = filters.tier, framework.tier(tier) == nil {
            throw FieldError("tier", "Unknown tier \"\(tier)\"; use one of \(framework.tiers.map(\.code).joined(separator: ", "))")
        }
        if scope == .nothing { return ([], nil) }
        let cycleID = try cycle.requireID()
        if let after, try await Organisation.query(on: db).filter(\.$code == after).count() == 0 {
            throw FieldError("after", "No organisation has the code \(after); pass the next value of the previous page")
        }
        var conditions: [SQLQueryString] = ["co.cycle_id = \(bind: cycleID)"]
        if case .only(let organisationID) = scope { conditions.append("o.id = \(bind: organisationID)") }
        if let region = filters.region { conditions.append("o.region = \(bind: region)") }
        if let kind = filters.kind { conditions.append("o.kind = \(bind: kind.rawValue)") }
        if let tier = filters.tier { conditions.append("co.tier_code = \(bind: tier)") }
        let previous: SQLQueryString = cycle.$previous.id.map { "\(bind: $0)" } ?? "NULL"
        if sort != .name || descending {
            return try await sortedPage(
                cycleID: cycleID, previous: previous, conditions: conditions, after: after, limit: limit,
                sort: sort, descending: descending, on: db)
        }
        if let after {
            conditions.append(
                """
                (o.name > (SELECT a.name FROM organisations a WHERE a.code = \(bind: after))
                 OR (o.name = (SELECT a.name FROM organisations a WHERE a.code = \(bind: after)) AND o.code > \(bind: after)))
                """)
        }
        let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
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
        return try decode(try await BulkRead.rows(query, on: db), limit: limit)
    }

    /// Ordered by another column: the joins come before the sort, and the keyset is
    /// (column, name, code) taken from the organisation the previous page ended with.
    private static func sortedPage(
        cycleID: UUID, previous: SQLQueryString, conditions: [SQLQueryString], after: String?, limit: Int?,
        sort: Sort, descending: Bool, on db: any Database
    ) async throws -> (rows: [PictureRow], next: String?) {
        let joins: SQLQueryString = """
            FROM organisations o
            JOIN cycle_organisations co ON co.organisation_id = o.id
            LEFT JOIN assessments i ON i.cycle_id = co.cycle_id AND i.organisation_id = o.id AND i.kind = 'inspection'
            LEFT JOIN assessments s ON s.cycle_id = co.cycle_id AND s.organisation_id = o.id AND s.kind = 'self'
            LEFT JOIN assessments p ON p.cycle_id = \(previous) AND p.organisation_id = o.id AND p.kind = 'inspection' AND p.status = 'final'
            """
        var conditions = conditions
        if let after {
            let anchor: SQLQueryString =
                "SELECT \(sort.key) AS k, o.name AS n \(joins) WHERE co.cycle_id = \(bind: cycleID) AND o.code = \(bind: after)"
            if let row = try await BulkRead.rows(anchor, on: db).first {
                let name = try row.decode(column: "n", as: String.self)
                let key: SQLQueryString =
                    sort == .stage
                    ? "\(bind: try row.decode(column: "k", as: Int.self))" : "\(bind: try row.decode(column: "k", as: String.self))"
                let beyond: SQLQueryString = descending ? "<" : ">"
                conditions.append(
                    """
                    (\(sort.key) \(beyond) \(key) OR (\(sort.key) = \(key) AND (o.name > \(bind: name) OR (o.name = \(bind: name) AND o.code > \(bind: after)))))
                    """)
            }
        }
        let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
        let direction: SQLQueryString = descending ? "DESC" : "ASC"
        let limitClause: SQLQueryString = limit.map { "LIMIT \(unsafeRaw: String($0 + 1))" } ?? ""
        let query: SQLQueryString = """
            SELECT o.code, o.name, o.region, o.kind, co.tier_code,
                   i.area_levels AS inspected, i.overall_stage AS stage, i.meets_minimum AS meets,
                   s.area_levels AS own, p.area_levels AS before
            \(joins)
            WHERE \(whereClause)
            ORDER BY \(sort.key) \(direction), o.name, o.code
            \(limitClause)
            """
        return try decode(try await BulkRead.rows(query, on: db), limit: limit)
    }

    private static func decode(_ found: [any SQLRow], limit: Int?) throws -> (rows: [PictureRow], next: String?) {
        func levels(_ json: String?) throws -> [String: Int] { try AreaLevels.decode(json) }
        var rows: [PictureRow] = []
        rows.reserveCapacity(found.count)
        for row in found.prefix(limit ?? found.count) {
            let inspected = try levels(try row.decode(column: "inspected", as: String?.self))
            var picture = PictureRow(
                organisation: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                region: try row.decode(column: "region", as: String?.self), kind: try row.decode(column: "kind", as: String.self),
                tier: try row.decode(column: "tier_code", as: String?.self), areaLevels: inspected,
                overallStage: try row.decode(column: "stage", as: Int?.self),
                meetsMinimum: inspected.isEmpty ? nil : try row.decode(column: "meets", as: Bool?.self),
                selfAreaLevels: try levels(try row.decode(column: "own", as: String?.self)))
            picture.previousAreaLevels = try levels(try row.decode(column: "before", as: String?.self))
            rows.append(picture)
        }
        let next = limit.flatMap { found.count > $0 ? rows.last?.organisation : nil }
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
