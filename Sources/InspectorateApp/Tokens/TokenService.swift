import Fluent
import InspectorateCore
import SQLKit
import Vapor

enum TokenService {
    static let prefix = "insp_"

    /// Hex SHA-256 of the secret: what is stored and looked up.
    static func hash(_ secret: String) -> String {
        Digest.sha256(Data(secret.utf8))
    }

    /// Issues a token and returns its secret: the only time the secret exists outside the
    /// caller's hands.
    static func issue(
        for user: User, name: String, days: Int?, maximumDays: Int, caller: Caller, on db: any Database
    ) async throws -> (APIToken, secret: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw FieldError("name", "Enter a name for the token, such as the system that will use it") }
        if trimmed.count > 100 { throw FieldError("name", "Name must be 100 characters or fewer") }
        let lifetime = days ?? maximumDays
        guard (1...maximumDays).contains(lifetime) else {
            throw FieldError("expires_in_days", "Tokens last between 1 and \(maximumDays) days")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        let secret =
            prefix
            + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let now = caller.now
        let token = APIToken(
            userID: try user.requireID(), name: trimmed, tokenHash: hash(secret),
            expiresAt: now.addingTimeInterval(Double(lifetime) * 86_400))
        token.createdAt = now
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            try await token.create(on: tx)
            try await audit.append(
                AuditEvent(
                    action: "token.create", recordType: "token", recordID: try token.requireID().uuidString,
                    organisationID: user.$organisation.id, detail: "\(user.email): \(trimmed), \(lifetime) days"))
        }
        return (token, secret)
    }

    /// The active user behind a bearer secret, or nil for an unknown, expired or revoked
    /// token or a disabled account. The row may come from the read cache, but the dates in
    /// it are checked against the clock on every request.
    static func user(forSecret secret: String, now: Date, cache: ReadCache? = nil, on db: any Database) async throws -> User? {
        guard secret.hasPrefix(prefix) else { return nil }
        let sql = try db.sql
        let tokenHash = hash(secret)
        let token: CachedToken
        if let cached = cache?.token(hash: tokenHash) {
            token = cached
        } else {
            let generation = cache?.generation
            // One query for the token and its owner.
            let select = sql.select()
                .column(SQLColumn("id", table: "t"), as: "token_id")
                .column(SQLColumn("expires_at", table: "t"), as: "token_expires_at")
                .column(SQLColumn("revoked_at", table: "t"), as: "token_revoked_at")
                .column(SQLColumn("last_used_at", table: "t"), as: "token_last_used_at")
                .columns(User.columns.map { SQLColumn($0, table: "u") })
                .from(SQLAlias(SQLIdentifier(APIToken.schema), as: SQLIdentifier("t")))
                .join(
                    SQLAlias(SQLIdentifier(User.schema), as: SQLIdentifier("u")), on: SQLColumn("user_id", table: "t"), .equal,
                    SQLColumn("id", table: "u")
                )
                .where(SQLColumn("token_hash", table: "t"), .equal, SQLBind(tokenHash))
                .limit(1)
            guard let row = try await BulkRead.rows(select.query, on: db).first else { return nil }
            token = try CachedToken(row: row)
            if let cache, let generation { cache.store(token, hash: tokenHash, generation: generation) }
        }
        guard token.isValid(at: now) else { return nil }
        if token.needsUseRecorded(at: now) {
            try await APIToken.query(on: db).filter(\.$id == token.id).set(\.$lastUsedAt, to: now).update()
            // The cached entry still holds the old time: read it afresh next time.
            cache?.forgetToken(hash: tokenHash)
        }
        return User(token.user)
    }

    /// The same decision from the read cache alone: nil when the cache cannot decide (the
    /// token is not held, or its use is due to be recorded), so the caller reads the database.
    static func cachedUser(forSecret secret: String, now: Date, cache: ReadCache) -> User?? {
        guard secret.hasPrefix(prefix) else { return .some(nil) }
        guard let token = cache.token(hash: hash(secret)), !token.needsUseRecorded(at: now) else { return nil }
        return .some(token.isValid(at: now) ? User(token.user) : nil)
    }

    static func list(for user: User, on db: any Database) async throws -> [APIToken] {
        try await APIToken.query(on: db).filter(\.$user.$id == user.requireID()).sort(\.$createdAt, .descending).all()
    }

    static func revoke(id: UUID, of user: User, caller: Caller, on db: any Database) async throws -> APIToken {
        guard let token = try await APIToken.query(on: db).filter(\.$id == id).filter(\.$user.$id == user.requireID()).first() else {
            throw DomainError.notFound("token")
        }
        if token.revokedAt == nil {
            token.revokedAt = caller.now
            try await Audit.transaction(on: db, caller: caller) { tx, audit in
                try await token.save(on: tx)
                try await audit.append(
                    AuditEvent(
                        action: "token.revoke", recordType: "token", recordID: id.uuidString,
                        organisationID: user.$organisation.id, detail: "\(user.email): \(token.name)"))
            }
        }
        return token
    }
}

/// A token and its owner as the read cache keeps them: the dates are compared with the
/// clock on every use, so a cached token still ends at the instant it expires.
struct CachedToken: Sendable {
    var id: UUID
    var expires: Date
    var revoked: Date?
    var lastUsed: Date?
    var user: UserSnapshot

    /// Not revoked, not expired at `now`, and its owner's account active.
    func isValid(at now: Date) -> Bool { revoked == nil && now < expires && user.active }

    /// Recording use costs a write; once every few minutes is enough to tell stale tokens.
    func needsUseRecorded(at now: Date) -> Bool { (lastUsed ?? .distantPast) < now.addingTimeInterval(-300) }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "token_id", as: UUID.self)
        expires = try row.decode(column: "token_expires_at", as: Date.self)
        revoked = try row.decode(column: "token_revoked_at", as: Date?.self)
        lastUsed = try row.decode(column: "token_last_used_at", as: Date?.self)
        user = try UserSnapshot(row: row)
    }
}
