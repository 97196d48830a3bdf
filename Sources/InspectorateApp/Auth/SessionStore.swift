import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// Web sessions in the database (any instance behind the proxy serves any user), kept so
/// that a copy of the table opens nobody's session and the table does not grow by itself:
///
/// - only a signed-in session is stored: a visitor reading the sign-in page gets no row
///   (its form token is a cookie, see `AnonymousFormToken`);
/// - the session id is 32 random bytes; the table holds its SHA-256, never the id;
/// - each row has the instant it ends (`INSPECTORATE_SESSION_HOURS` after sign-in); expired
///   rows are never read and are deleted whenever someone signs in;
/// - a request that changes nothing in its session writes nothing.
struct SessionStore: AsyncSessionDriver {
    static let table = "web_sessions"

    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        guard data[SessionKey.userID] != nil else { return SessionID(string: "") }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let id = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let now = request.now
        let ends = now.addingTimeInterval(Double(request.application.settings.sessionHours) * 3600)
        let sql = try request.db.sql
        try await sql.delete(from: Self.table).where("expires_at", .lessThan, SQLBind(now.timeIntervalSince1970)).run()
        try await sql.insert(into: Self.table).columns("id_hash", "data", "expires_at", "created_at")
            .values(
                SQLBind(Self.hash(id)), SQLBind(JSONText.encode(data.snapshot)), SQLBind(ends.timeIntervalSince1970),
                SQLBind(now.timeIntervalSince1970)
            )
            .run()
        return SessionID(string: id)
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        guard !sessionID.string.isEmpty, sessionID.string.utf8.count <= 64 else { return nil }
        let row = try await request.db.sql.select().column("data").from(Self.table)
            .where("id_hash", .equal, SQLBind(Self.hash(sessionID.string)))
            .where("expires_at", .greaterThan, SQLBind(request.now.timeIntervalSince1970)).first()
        guard let text = try row?.decode(column: "data", as: String.self),
            let values = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        else { return nil }
        let data = SessionData(initialData: values)
        request.storage[ReadKey.self] = data
        return data
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        if sessionID.string.isEmpty { return try await createSession(data, for: request) }
        // Most requests only read their session: nothing to write.
        if request.storage[ReadKey.self] == data { return sessionID }
        guard data[SessionKey.userID] != nil else {
            try await deleteSession(sessionID, for: request)
            return SessionID(string: "")
        }
        try await request.db.sql.update(Self.table).set("data", to: SQLBind(JSONText.encode(data.snapshot)))
            .where("id_hash", .equal, SQLBind(Self.hash(sessionID.string))).run()
        return sessionID
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        guard !sessionID.string.isEmpty else { return }
        try await request.db.sql.delete(from: Self.table).where("id_hash", .equal, SQLBind(Self.hash(sessionID.string))).run()
    }

    static func hash(_ id: String) -> String { Digest.sha256(Data(id.utf8)) }

    private struct ReadKey: StorageKey { typealias Value = SessionData }
}

/// The table for `SessionStore`; the sessions Fluent's driver kept, with their ids in
/// clear, are deleted (everyone signs in again once).
struct CreateWebSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SessionStore.table)
            .field("id_hash", .string, .identifier(auto: false))
            .field("data", .custom("TEXT"), .required)
            .field("expires_at", .double, .required)
            .field("created_at", .double, .required)
            .create()
        let sql = try database.sql
        try await sql.create(index: "web_sessions_expires_at").on(SessionStore.table).column("expires_at").run()
        try await sql.delete(from: "_fluent_sessions").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SessionStore.table).delete()
    }
}
