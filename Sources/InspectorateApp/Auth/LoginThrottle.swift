import Fluent
import InspectorateCore
import Vapor

/// Limits guessing: a few failures lock an account for a while, and more from one
/// address lock that address, whichever account it tries.
enum LoginThrottle {
    static let window: TimeInterval = 15 * 60
    static let perAccount = 5
    static let perAddress = 20

    final class Failure: Model, @unchecked Sendable {
        static let schema = "login_failures"
        @ID(key: .id) var id: UUID?
        @Field(key: "throttle_key") var key: String
        @Field(key: "occurred_at") var occurredAt: Date
        init() {}
        init(key: String, at instant: Date) { self.key = key; self.occurredAt = instant }
    }

    static func accountKey(_ email: String) -> String { "account:\(email)" }
    static func addressKey(_ address: String) -> String { "address:\(address)" }

    static func check(email: String, address: String, now: Date, on db: any Database) async throws {
        let since = now.addingTimeInterval(-window)
        let accountFailures = try await Failure.query(on: db).filter(\.$key == accountKey(email)).filter(\.$occurredAt > since).count()
        if accountFailures >= perAccount {
            throw DomainError.throttled(
                "Too many failed sign-in attempts for this account. Wait 15 minutes and try again, or ask an administrator to reset your password."
            )
        }
        let addressFailures = try await Failure.query(on: db).filter(\.$key == addressKey(address)).filter(\.$occurredAt > since).count()
        if addressFailures >= perAddress {
            throw DomainError.throttled("Too many failed sign-in attempts from your network address. Wait 15 minutes and try again.")
        }
    }

    static func recordFailure(email: String, address: String, now: Date, on db: any Database) async throws {
        try await Failure(key: accountKey(email), at: now).create(on: db)
        try await Failure(key: addressKey(address), at: now).create(on: db)
        // Old rows have done their job; keep the table small.
        try await Failure.query(on: db).filter(\.$occurredAt < now.addingTimeInterval(-window * 4)).delete()
    }

    static func recordSuccess(email: String, on db: any Database) async throws {
        try await Failure.query(on: db).filter(\.$key == accountKey(email)).delete()
    }
}
