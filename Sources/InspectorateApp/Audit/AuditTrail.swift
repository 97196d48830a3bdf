import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// Reading the trail: filtered pages for the audit page and API, CSV, verification.
/// The application never updates or deletes an entry; nothing here writes.
enum AuditTrail {
    struct Filter: Sendable {
        var user: String?
        var record: String?
        var organisationID: UUID?
        var action: String?
        var outcome: AuditOutcome?
        /// From this instant (the start of the first day asked for, in the deployment's zone).
        var from: Date?
        /// Before this instant (the start of the day after the last day asked for).
        var before: Date?
    }

    static let pageSize = 50

    /// Newest first; `before` is the `seq` of the last entry of the previous page (keyset).
    /// A page of entries, newest first. With a `reader` (every page, API and export does),
    /// details about records the reader may not read are withheld (`AuditDetailAccess`);
    /// without one, the entries as stored (verification, tests).
    static func page(
        _ filter: Filter, before: Int?, limit: Int = pageSize, reader: Reader? = nil, on db: any Database
    ) async throws
        -> [AuditEntry]
    {
        var query = try db.sql.select().column("*").from("audit_entries")
        query = apply(filter, to: query)
        if let before { query = query.where("seq", .lessThan, SQLBind(before)) }
        let rows = try await BulkRead.rows(query.orderBy("seq", .descending).limit(limit).query, on: db)
        let entries = try rows.map(entry)
        guard let reader else { return entries }
        return try await AuditDetailAccess.readable(entries, reader: reader, on: db)
    }

    static func apply(_ filter: Filter, to query: SQLSelectBuilder) -> SQLSelectBuilder {
        var query = query
        if let user = filter.user?.trimmingCharacters(in: .whitespaces).lowercased(), !user.isEmpty {
            query = query.where(SQLFunction("lower", args: SQLColumn("actor_email")), .like, SQLBind("%\(user)%"))
        }
        if let record = filter.record?.trimmingCharacters(in: .whitespaces), !record.isEmpty {
            // Record ids are mostly UUIDs, stored upper-case; others (routes) as written.
            query = query.where("record_id", .equal, SQLBind(UUID(uuidString: record)?.uuidString ?? record))
        }
        if let organisation = filter.organisationID { query = query.where("organisation_id", .equal, SQLBind(organisation)) }
        if let action = filter.action?.trimmingCharacters(in: .whitespaces), !action.isEmpty {
            query = query.where("action", .like, SQLBind("\(action)%"))
        }
        if let outcome = filter.outcome { query = query.where("outcome", .equal, SQLBind(outcome.rawValue)) }
        // Timestamps are ISO 8601 text in UTC, so instants compare as text.
        if let from = filter.from { query = query.where("at", .greaterThanOrEqual, SQLBind(AuditEntry.timestamp(from))) }
        if let before = filter.before { query = query.where("at", .lessThan, SQLBind(AuditEntry.timestamp(before))) }
        return query
    }

    static func entry(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            seq: try row.decode(column: "seq", as: Int.self),
            at: try row.decode(column: "at", as: String.self),
            actorID: try row.decode(column: "actor_id", as: UUID?.self),
            actorEmail: try row.decode(column: "actor_email", as: String.self),
            actorVetting: try row.decode(column: "actor_vetting", as: String.self),
            action: try row.decode(column: "action", as: String.self),
            recordType: try row.decode(column: "record_type", as: String.self),
            recordID: try row.decode(column: "record_id", as: String.self),
            organisationID: try row.decode(column: "organisation_id", as: UUID?.self),
            outcome: AuditOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) ?? .failure,
            requestID: try row.decode(column: "request_id", as: String.self),
            detail: try row.decode(column: "detail", as: String.self),
            previousHash: try row.decode(column: "previous_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self))
    }

    static let csvHeader = [
        "seq", "at", "actor_email", "actor_id", "actor_vetting", "action", "record_type", "record_id",
        "organisation_id", "outcome", "request_id", "detail", "hash",
    ]

    static func csvRow(_ entry: AuditEntry) -> [String] {
        [
            String(entry.seq), entry.at, entry.actorEmail, entry.actorID?.uuidString ?? "", entry.actorVetting, entry.action,
            entry.recordType, entry.recordID, entry.organisationID?.uuidString ?? "", entry.outcome.rawValue, entry.requestID,
            entry.detail, entry.hash,
        ]
    }

    /// Every matching entry, newest first, read a page at a time.
    static func csv(_ filter: Filter, reader: Reader, on db: any Database) async throws -> String {
        var writer = CSVWriter(header: csvHeader)
        var before: Int?
        while true {
            let page = try await page(filter, before: before, limit: 1000, reader: reader, on: db)
            for entry in page { writer.append(csvRow(entry)) }
            guard page.count == 1000, let last = page.last else { break }
            before = last.seq
        }
        return writer.text
    }

    static func checkpoint(on db: any Database) async throws -> AuditCheckpoint {
        let sql = try db.sql
        guard
            let row = try await sql.select().column("seq").column("hash").from("audit_entries")
                .orderBy("seq", .descending).limit(1).first()
        else {
            return AuditCheckpoint(count: 0, hash: AuditEntry.genesisHash)
        }
        return AuditCheckpoint(count: try row.decode(column: "seq", as: Int.self), hash: try row.decode(column: "hash", as: String.self))
    }

    /// Walks the whole chain in order, a batch at a time; `progress` hears how far it got.
    static func verify(
        checkpoint: AuditCheckpoint?, on db: any Database,
        progress: (Int) -> Void = { _ in }
    ) async throws -> (count: Int, head: String, problem: AuditChainProblem?) {
        let sql = try db.sql
        // The head row is written with every entry: the chain must reach it.
        let stored = try await sql.select().column("seq").column("hash").from("audit_head").where("id", .equal, SQLBind(1)).first()
        let head = try stored.map {
            AuditCheckpoint(count: try $0.decode(column: "seq", as: Int.self), hash: try $0.decode(column: "hash", as: String.self))
        }
        var verifier = AuditChainVerifier(checkpoint: checkpoint, head: head)
        var after = 0
        while true {
            let rows = try await BulkRead.rows(
                sql.select().column("*").from("audit_entries").where("seq", .greaterThan, SQLBind(after))
                    .orderBy("seq", .ascending).limit(5000).query, on: db)
            for row in rows {
                let entry = try entry(row)
                if let problem = verifier.check(entry) { return (verifier.count, verifier.headHash, problem) }
                after = entry.seq
            }
            progress(verifier.count)
            if rows.count < 5000 { break }
        }
        return (verifier.count, verifier.headHash, verifier.finish())
    }
}
