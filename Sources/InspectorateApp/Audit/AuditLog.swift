import Fluent
import SQLKit
import FluentSQLiteDriver
import Vapor
import InspectorateCore

/// Who acts, as the audit trail records them: their vetting is the one in force at the time.
struct AuditActor: Sendable {
    var userID: UUID?
    var email: String
    var vetting: String
    var requestID: String

    init(userID: UUID?, email: String, vetting: String, requestID: String) {
        self.userID = userID
        self.email = email
        self.vetting = vetting
        self.requestID = requestID
    }

    init(user: User, requestID: String, at instant: Date = Date()) {
        self.init(userID: user.id, email: user.email, vetting: user.vetting.effectiveLevel(at: instant).rawValue, requestID: requestID)
    }

    /// The application itself, for what it does unasked (loading shipped data on first start).
    static let system = AuditActor(userID: nil, email: "system", vetting: "n/a", requestID: "")

    /// An operator at the command line: the server's own account, named by the OS user.
    static func commandLine() -> AuditActor {
        AuditActor(userID: nil, email: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "operator")",
                   vetting: "n/a", requestID: "cli-\(UUID().uuidString.prefix(8).lowercased())")
    }
}

extension Request {
    /// The signed-in user as an auditor sees them, or an anonymous visitor (sign-in attempts).
    var auditActor: AuditActor {
        let requestID = id
        if let user = auth.get(User.self) { return AuditActor(user: user, requestID: requestID) }
        return AuditActor(userID: nil, email: "", vetting: VettingLevel.none.rawValue, requestID: requestID)
    }
}

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
    private let db: any Database
    private let actor: AuditActor
    private var seq = 0
    private var head = AuditEntry.genesisHash
    private var wrote = false

    fileprivate init(db: any Database, actor: AuditActor) {
        self.db = db
        self.actor = actor
    }

    /// Locks the head row for the rest of the transaction: PostgreSQL makes concurrent
    /// appenders wait here, SQLite takes its write lock here before anything is read.
    fileprivate func lockHead() async throws {
        let sql = db as! any SQLDatabase
        guard let row = try await sql.raw("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash").first() else {
            throw Abort(.internalServerError, reason: "The audit head is missing: run the migrations")
        }
        seq = try row.decode(column: "seq", as: Int.self)
        head = try row.decode(column: "hash", as: String.self)
    }

    func append(_ event: AuditEvent) async throws {
        seq += 1
        let entry = AuditEntry(seq: seq, at: AuditEntry.timestamp(Date()), actorID: actor.userID, actorEmail: actor.email,
                               actorVetting: actor.vetting, action: event.action, recordType: event.recordType,
                               recordID: event.recordID, organisationID: event.organisationID, outcome: event.outcome,
                               requestID: actor.requestID, detail: event.detail, previousHash: head).sealed()
        let sql = db as! any SQLDatabase
        try await sql.insert(into: "audit_entries")
            .columns("seq", "at", "actor_id", "actor_email", "actor_vetting", "action", "record_type", "record_id",
                     "organisation_id", "outcome", "request_id", "detail", "previous_hash", "hash")
            .values(SQLBind(entry.seq), SQLBind(entry.at), SQLBind(entry.actorID), SQLBind(entry.actorEmail), SQLBind(entry.actorVetting),
                    SQLBind(entry.action), SQLBind(entry.recordType), SQLBind(entry.recordID), SQLBind(entry.organisationID),
                    SQLBind(entry.outcome.rawValue), SQLBind(entry.requestID), SQLBind(entry.detail), SQLBind(entry.previousHash),
                    SQLBind(entry.hash))
            .run()
        head = entry.hash
        wrote = true
    }

    fileprivate func saveHead() async throws {
        guard wrote else { return }
        try await (db as! any SQLDatabase).update("audit_head").set("seq", to: SQLBind(seq)).set("hash", to: SQLBind(head))
            .where("id", .equal, SQLBind(1)).run()
    }
}

enum Audit {
    /// SQLite has one writer at a time; queueing audited transactions in the process
    /// saves SQLite's busy handler from spinning. Other processes (the CLI) still wait on
    /// SQLite's lock, and the chain's primary key stops any fork.
    private static let sqliteWriters = AsyncMutex()

    /// Runs `body` in one transaction whose audit entries commit with it.
    static func transaction<T: Sendable>(on db: any Database, actor: AuditActor,
                                         _ body: @escaping @Sendable (any Database, AuditLog) async throws -> T) async throws -> T {
        let run: @Sendable () async throws -> T = {
            try await db.transaction { tx in
                let log = AuditLog(db: tx, actor: actor)
                try await log.lockHead()
                let result = try await body(tx, log)
                try await log.saveHead()
                return result
            }
        }
        // Every write goes through here: cached reads made before it are no longer good.
        defer { WriteCounter.process.advance() }
        guard db is any SQLiteDatabase else { return try await run() }
        return try await sqliteWriters.withLock(run)
    }

    /// Records an event on its own: a read, a denial, a sign-in.
    static func record(_ event: AuditEvent, actor: AuditActor, on db: any Database) async throws {
        try await transaction(on: db, actor: actor) { _, log in try await log.append(event) }
    }
}

/// A first-come first-served lock for async code.
actor AsyncMutex {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if locked {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            locked = true
        }
        defer { release() }
        return try await body()
    }

    private func release() {
        if waiters.isEmpty { locked = false } else { waiters.removeFirst().resume() }
    }
}
