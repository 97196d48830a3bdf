import Vapor
import Fluent
import InspectorateCore

/// The audit page for administrators: filters, newest first, a page at a time, and CSV.
struct AuditWebRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let audit = routes.grouped(RequirePermission(allowed: AccessRule.canReadAudit))
        audit.get("audit", use: index)
        audit.get("audit.csv", use: csv)
    }

    /// The filter from the query string, shared by the page, the CSV and the API.
    static func filter(_ req: Request) throws -> AuditTrail.Filter {
        var filter = AuditTrail.Filter()
        filter.user = req.query["user"]
        filter.record = req.query["record"]
        filter.action = req.query["action"]
        if let outcome: String = req.query["outcome"], !outcome.isEmpty {
            guard let parsed = AuditOutcome(rawValue: outcome) else {
                throw AppError.invalid("outcome", "Use one of \(AuditOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.outcome = parsed
        }
        for (field, value) in [("from", req.query[String.self, at: "from"]), ("to", req.query[String.self, at: "to"])] {
            guard let value, !value.isEmpty else { continue }
            guard value.count == 10, APIDate.parse(value) != nil else { throw AppError.invalid(field, "\"\(value)\" is not a date like 2026-11-29") }
            if field == "from" { filter.from = value } else { filter.to = value }
        }
        return filter
    }

    /// The organisation filter is by code, as people know organisations.
    static func withOrganisation(_ filter: AuditTrail.Filter, _ req: Request) async throws -> AuditTrail.Filter {
        var filter = filter
        if let code: String = req.query["organisation"], !code.isEmpty {
            guard let organisation = try await Organisation.query(on: req.db).filter(\.$code == code).first() else {
                throw AppError.invalid("organisation", "No organisation has the code \(code)")
            }
            filter.organisationID = organisation.id
        }
        return filter
    }

    struct Row: Encodable {
        var seq: Int; var at: String; var actor: String; var vetting: String; var action: String; var record: String
        var outcome: String; var detail: String; var requestID: String
    }

    func index(req: Request) async throws -> View {
        struct Page: Encodable {
            var page: PageContext
            var rows: [Row]
            var query: [String: String]
            var next: String?
            var csv: String
            var outcomes: [String]
            var problem: String?
            var checkpoint: String
        }
        var query: [String: String] = [:]
        for key in ["user", "record", "organisation", "action", "outcome", "from", "to"] {
            if let value: String = req.query[key], !value.isEmpty { query[key] = value }
        }
        var rows: [Row] = []
        var problem: String?
        var next: String?
        do {
            let filter = try await Self.withOrganisation(try Self.filter(req), req)
            let entries = try await AuditTrail.page(filter, before: req.query["before"], on: req.db)
            rows = entries.map {
                Row(seq: $0.seq, at: $0.at.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC"),
                    actor: $0.actorEmail.isEmpty ? "anonymous" : $0.actorEmail, vetting: $0.actorVetting.uppercased(), action: $0.action,
                    record: [$0.recordType, $0.recordID].filter { !$0.isEmpty }.joined(separator: " "), outcome: $0.outcome.rawValue,
                    detail: $0.detail, requestID: $0.requestID)
            }
            if entries.count == AuditTrail.pageSize, let last = entries.last {
                next = "/audit?" + (query.merging(["before": String(last.seq)]) { $1 }).sorted { $0.key < $1.key }
                    .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            }
        } catch let error as AppError where error.status == .unprocessableEntity {
            problem = error.message
        }
        let csv = "/audit.csv" + (query.isEmpty ? "" : "?" + query.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
        return try await req.view.render("audit/index", Page(page: .init(title: "Audit trail", req: req), rows: rows, query: query, next: next,
                                                              csv: csv, outcomes: AuditOutcome.allCases.map(\.rawValue), problem: problem,
                                                              checkpoint: try await AuditTrail.checkpoint(on: req.db).description))
    }

    func csv(req: Request) async throws -> Response {
        let filter = try await Self.withOrganisation(try Self.filter(req), req)
        return Self.csvResponse(try await AuditTrail.csv(filter, on: req.db))
    }

    static func csvResponse(_ text: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"audit-trail.csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}
