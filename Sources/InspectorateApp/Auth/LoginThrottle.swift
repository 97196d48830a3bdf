import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// Limits guessing: a few attempts lock an account for a while, more from one address lock
/// that address whichever account it tries, and a person's own current-password check
/// (changing a password) is limited the same way.
///
/// Each attempt is counted before the password is checked, in one statement that adds one
/// and returns the count (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so the limit holds
/// however many attempts arrive at once, on SQLite and PostgreSQL, from any number of
/// instances sharing the database. A success clears the account's count.
enum LoginThrottle {
    static let window: TimeInterval = 15 * 60
    static let perAccount = 5
    static let perAddress = 20
    static let table = "login_throttle"

    static func accountKey(_ email: String) -> String { "account:\(email)" }
    static func addressKey(_ address: String) -> String { "address:\(address)" }
    static func passwordKey(_ userID: UUID) -> String { "password:\(userID.uuidString)" }

    /// What counting an attempt found.
    enum Verdict: Equatable {
        case allowed
        /// Over the limit; `first` when this is the first attempt refused in the window (the
        /// one the audit trail records, so a flood of refused attempts adds one entry).
        case refused(message: String, first: Bool)
    }

    /// Counts one attempt against `key` and says whether it may go on.
    static func count(_ key: String, limit: Int, message: String, now: Date, on db: any Database) async throws -> Verdict {
        let instant = now.timeIntervalSince1970
        let since = instant - window
        let row = try await db.sql.raw(
            """
            INSERT INTO login_throttle (throttle_key, window_start, attempts) VALUES (\(bind: key), \(bind: instant), 1)
            ON CONFLICT (throttle_key) DO UPDATE SET
              attempts = CASE WHEN login_throttle.window_start < \(bind: since) THEN 1 ELSE login_throttle.attempts + 1 END,
              window_start = CASE WHEN login_throttle.window_start < \(bind: since) THEN \(bind: instant) ELSE login_throttle.window_start END
            RETURNING attempts
            """
        ).first()
        let attempts = try row?.decode(column: "attempts", as: Int.self) ?? Int.max
        return attempts <= limit ? .allowed : .refused(message: message, first: attempts == limit + 1)
    }

    /// Counts a sign-in attempt for the account and the address.
    static func signIn(email: String, address: String, now: Date, on db: any Database) async throws -> Verdict {
        let account = try await count(
            accountKey(email), limit: perAccount,
            message:
                "Too many failed sign-in attempts for this account. Wait 15 minutes and try again, or ask an administrator to reset your password.",
            now: now, on: db)
        if account != .allowed { return account }
        return try await count(
            addressKey(address), limit: perAddress,
            message: "Too many failed sign-in attempts from your network address. Wait 15 minutes and try again.", now: now, on: db)
    }

    /// After a success: the account's attempts no longer count against it.
    static func clear(_ key: String, on db: any Database) async throws {
        try await db.sql.delete(from: table).where("throttle_key", .equal, SQLBind(key)).run()
    }

    /// Rows whose window ended long ago, deleted now and then so the table stays small.
    static func purge(now: Date, on db: any Database) async throws {
        try await db.sql.delete(from: table).where("window_start", .lessThan, SQLBind(now.timeIntervalSince1970 - window * 4)).run()
    }
}

/// The counters `LoginThrottle` keeps; the failures table before it is dropped.
struct CreateLoginThrottle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginThrottle.table)
            .field("throttle_key", .string, .identifier(auto: false))
            .field("window_start", .double, .required)
            .field("attempts", .int64, .required)
            .create()
        try await database.schema("login_failures").delete()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginThrottle.table).delete()
        try await CreateLoginFailures().prepare(on: database)
    }
}
