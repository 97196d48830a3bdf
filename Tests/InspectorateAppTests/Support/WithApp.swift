import Foundation
import Testing
import Vapor
import VaporTesting
import Fluent
import FluentPostgresDriver
@testable import InspectorateApp
import InspectorateCore

/// The one way tests get an application: a fresh database (SQLite in memory, or a new
/// PostgreSQL database when INSPECTORATE_TEST_DATABASE_URL is set), migrated, with the
/// reference organisations loaded, exactly as `serve` leaves it on first start.
func withApp(_ test: (Application) async throws -> Void) async throws {
    let scratch = try await TestDatabase.create()
    let app = try await Application.make(.testing)
    // One line per request at info is noise in a test run; failures are reported anyway.
    app.logger.logLevel = .warning
    do {
        app.settings = Settings(database: scratch.choice, adminEmail: "admin@example.org", bcryptCost: 4,
                                maximumBodySize: "64kb", databasePoolPerEventLoop: 2)
        try await configure(app)
        try await FirstStart.prepareDatabase(app)
        try await test(app)
    } catch {
        try? await app.asyncShutdown()
        try? await scratch.drop()
        throw error
    }
    try await app.asyncShutdown()
    try await scratch.drop()
}

/// A throwaway database for one test.
struct TestDatabase {
    var choice: Settings.DatabaseChoice
    var drop: @Sendable () async throws -> Void

    static func create() async throws -> TestDatabase {
        guard let adminURL = ProcessInfo.processInfo.environment["INSPECTORATE_TEST_DATABASE_URL"], !adminURL.isEmpty else {
            return TestDatabase(choice: .sqliteMemory, drop: {})
        }
        let name = "inspectorate_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await run("CREATE DATABASE \(name)", adminURL: adminURL)
        guard var components = URLComponents(string: adminURL) else { throw Abort(.internalServerError, reason: "bad test database URL") }
        components.path = "/\(name)"
        return TestDatabase(choice: .postgres(components.string!), drop: {
            try await run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", adminURL: adminURL)
        })
    }

    private static func run(_ sql: String, adminURL: String) async throws {
        let configuration = try SQLPostgresConfiguration(url: adminURL).coreConfiguration
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: Logger(label: "test-db"))
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test-db"))
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
