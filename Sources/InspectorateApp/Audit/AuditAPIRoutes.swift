import Fluent
import InspectorateCore
import Vapor

/// The audit trail for administrators: filtered pages, CSV, the current checkpoint.
struct AuditAPIRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let audit = routes.guarded(by: .readAudit)
        audit.get(APIURL.audit, use: list)
        audit.get(APIURL.auditCheckpoint, use: checkpoint)
    }

    struct Page: Content {
        var entries: [AuditEntryDTO]
        /// Pass as `before` for the next (older) page.
        var next: Int?
    }

    func list(req: Request) async throws -> Response {
        let filter = try await AuditTrail.Filter(query: req)
        if req.query["format"] == "csv" {
            return Download.csv(
                try await AuditTrail.csv(filter, reader: try await req.reader(), on: req.db), filename: "audit-trail.csv",
                byteOrderMark: try req.csvByteOrderMark)
        }
        let limit = try req.queryInteger("limit", default: AuditTrail.pageSize, in: 1...500)
        let entries = try await AuditTrail.page(
            filter, before: req.query["before"], limit: limit, reader: try await req.reader(), on: req.db)
        return try await Page(entries: entries.map(AuditEntryDTO.init), next: entries.count == limit ? entries.last?.seq : nil)
            .encodeResponse(for: req)
    }

    struct Checkpoint: Content { var count: Int; var hash: String; var checkpoint: String }

    func checkpoint(req: Request) async throws -> Checkpoint {
        let point = try await AuditTrail.checkpoint(on: req.db)
        return Checkpoint(count: point.count, hash: point.hash, checkpoint: point.description)
    }
}
