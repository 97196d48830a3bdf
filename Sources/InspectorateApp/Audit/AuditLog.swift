import FluentSQLiteDriver
import Foundation
import InspectorateCore
import SQLKit
import Vapor

/// What happened, to which record, with what outcome.
struct AuditEvent: Sendable {
    var action: String
    var recordType: String = ""
    var recordID: String = ""
    var organisationID: UUID? = nil
    var outcome: AuditOutcome = .success
    var detail: String = ""
}

/// Appends entries inside the transaction of the action they record, so an action and its
/// entry are committed together or not at all.
final class AuditLog: @unchecked Sendable {
    private let sql: any SQLDatabase
    private let caller: Caller
    private var seq = 0
    private var head = AuditEntry.genesisHash
    private var wrote = false

    fileprivate init(sql: any SQLDatabase, caller: Caller) {
        self.sql = sql
        self.caller = caller
    }

    /// Locks the head row for the rest of the transaction: PostgreSQL makes concurrent
    /// appenders wait here, SQLite takes its write lock here before anything is read.
    fileprivate func lockHead() async throws {
        guard let row = try await sql.raw("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash").first() else {
            throw DomainError.unavailable(detail: "the audit head is missing: run the migrations")
        }
        seq = try row.decode(column: "seq", as: Int.self)
        head = try row.decode(column: "hash", as: String.self)
    }

    /// The longest each text field may be in the trail, in characters: what a client types
    /// (an e-mail address on the sign-in form, a path) is cut there, marked with "…".
    static let limits = (email: 254, recordID: 200, detail: 1_000, requestID: 64)

    static func bounded(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    func append(_ event: AuditEvent) async throws {
        seq += 1
        let limits = Self.limits
        let entry = AuditEntry(
            seq: seq, at: AuditEntry.timestamp(caller.now), actorID: caller.userID, actorEmail: Self.bounded(caller.email, limits.email),
            actorVetting: caller.vetting, action: event.action, recordType: event.recordType,
            recordID: Self.bounded(event.recordID, limits.recordID), organisationID: event.organisationID, outcome: event.outcome,
            requestID: Self.bounded(caller.requestID, limits.requestID), detail: Self.bounded(event.detail, limits.detail),
            previousHash: head
        ).sealed()
        if event.outcome == .denied { caller.trail?.recordedDenial() }
        try await sql.insert(into: "audit_entries")
            .columns(
                "seq", "at", "actor_id", "actor_email", "actor_vetting", "action", "record_type", "record_id",
                "organisation_id", "outcome", "request_id", "detail", "previous_hash", "hash"
            )
            .values(
                SQLBind(entry.seq), SQLBind(entry.at), SQLBind(entry.actorID), SQLBind(entry.actorEmail), SQLBind(entry.actorVetting),
                SQLBind(entry.action), SQLBind(entry.recordType), SQLBind(entry.recordID), SQLBind(entry.organisationID),
                SQLBind(entry.outcome.rawValue), SQLBind(entry.requestID), SQLBind(entry.detail), SQLBind(entry.previousHash),
                SQLBind(entry.hash)
            )
            .run()
        head = entry.hash
        wrote = true
    }

    fileprivate func saveHead() async throws {
        guard wrote else { return }
        try await sql.update("audit_head").set("seq", to: SQLBind(seq)).set("hash", to: SQLBind(head))
            .where("id", .equal, SQLBind(1)).run()
    }
}

/// The one way to write: every change runs in `Audit.transaction`, its audit entries
/// committed with it.
enum Audit {
    /// Runs `body` in one transaction whose audit entries commit with it.
    static func transaction<T: Sendable>(
        on db: any Database, caller: Caller,
        _ body: @escaping @Sendable (any Database, AuditLog) async throws -> T
    ) async throws -> T {
        let run: @Sendable () async throws -> T = {
            try await db.transaction { tx in
                let log = AuditLog(sql: try tx.sql, caller: caller)
                try await log.lockHead()
                let result = try await body(tx, log)
                try await log.saveHead()
                return result
            }
        }
        // Every write goes through here: cached reads made before it are no longer good.
        defer { caller.writes.advance() }
        guard db is any SQLiteDatabase else { return try await run() }
        return try await caller.writes.sqliteWriters.withLock(run)
    }

    /// Records an event on its own: a read, a denial, a sign-in.
    static func record(_ event: AuditEvent, caller: Caller, on db: any Database) async throws {
        try await transaction(on: db, caller: caller) { _, log in try await log.append(event) }
    }
}
