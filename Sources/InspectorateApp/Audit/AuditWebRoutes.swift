import Fluent
import InspectorateCore
import Vapor

/// The audit page for administrators: filters, newest first, a page at a time, and CSV.
struct AuditWebRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let audit = routes.guarded(by: .readAudit)
        audit.get(SiteURL.audit, use: index)
        audit.get(SiteURL.auditCSV, use: csv)
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
            let filter = try await AuditTrail.Filter(query: req)
            let entries = try await AuditTrail.page(filter, before: req.query["before"], reader: try await req.reader(), on: req.db)
            rows = entries.map {
                Row(
                    seq: $0.seq, at: $0.at.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC"),
                    actor: $0.actorEmail.isEmpty ? "anonymous" : $0.actorEmail, vetting: $0.actorVetting.uppercased(), action: $0.action,
                    record: [$0.recordType, $0.recordID].filter { !$0.isEmpty }.joined(separator: " "), outcome: $0.outcome.rawValue,
                    detail: $0.detail, requestID: $0.requestID)
            }
            if entries.count == AuditTrail.pageSize, let last = entries.last {
                next = SiteURL.audit.path(query: AuditTrail.Filter.queryItems(req) + [("before", String(last.seq))])
            }
        } catch let error as FieldError {
            problem = error.message
        }
        let csv = SiteURL.auditCSV.path(query: AuditTrail.Filter.queryItems(req))
        return try await req.view.render(
            "audit/index",
            Page(
                page: .init(title: "Audit trail", req: req), rows: rows, query: query, next: next,
                csv: csv, outcomes: AuditOutcome.allCases.map(\.rawValue), problem: problem,
                checkpoint: try await AuditTrail.checkpoint(on: req.db).description))
    }

    func csv(req: Request) async throws -> Response {
        let filter = try await AuditTrail.Filter(query: req)
        return Download.csv(
            try await AuditTrail.csv(filter, reader: try await req.reader(), on: req.db), filename: "audit-trail.csv",
            byteOrderMark: try req.csvByteOrderMark)
    }
}
