import Fluent
import FluentPostgresDriver
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

/// The instant tests start at, unless they set another: a Monday in winter (GMT), in office
/// hours. The clock ticks a millisecond per reading, so what a test does happens in order.
let testInstant = Date(timeIntervalSince1970: 1_796_032_800)  // 2026-11-30T10:00:00Z

/// The one way tests get an application: a fresh database (SQLite in memory, or a new
/// PostgreSQL database when INSPECTORATE_TEST_DATABASE_URL is set), migrated, with the
/// reference organisations loaded, exactly as `serve` leaves it on first start.
/// The application's clock starts at `testInstant` unless a test passes its own.
func withApp(clock: ManualClock = ManualClock(testInstant, tick: 0.001), _ test: (Application) async throws -> Void) async throws {
    let scratch = try await TestDatabase.create()
    let app = try await Application.make(.testing)
    // One line per request at info is noise in a test run; failures are reported anyway.
    app.logger.logLevel = .warning
    do {
        let settings = Settings(
            database: scratch.choice, adminEmail: "admin@example.org", bcryptCost: 4,
            limits: Settings.Limits(body: 64 << 10), databasePoolPerEventLoop: 2)
        try await configure(app, settings: settings, clock: clock)
        // Every API answer is checked against the OpenAPI document; each departure fails the test.
        let conformance = try app.checkAnswersAgainstOpenAPI()
        try await FirstStart.prepareDatabase(app)
        try await test(app)
        conformance.reportViolations()
    } catch {
        try? await app.asyncShutdown()
        try? await scratch.drop()
        if let error = error as? PSQLError { throw TestDatabaseError(sql: "during the test", error: error) }
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
        return TestDatabase(
            choice: .postgres(components.string!),
            drop: {
                // An autovacuum worker may be visiting the scratch database; FORCE cannot end it
                // (it is not ours to signal), so wait for it to leave. A database that still will
                // not go is left behind with a warning: it is scratch, and the test has passed.
                for attempt in 1...20 {
                    do {
                        return try await run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", adminURL: adminURL)
                    } catch let error as TestDatabaseError where error.sqlState == "42501" || error.sqlState == "55006" {
                        if attempt == 20 {
                            FileHandle.standardError.write(Data("warning: scratch database \(name) left behind: \(error)\n".utf8))
                            return
                        }
                        try await Task.sleep(for: .milliseconds(250))
                    }
                }
            })
    }

    private static func run(_ sql: String, adminURL: String) async throws {
        let configuration = try SQLPostgresConfiguration(url: adminURL).coreConfiguration
        let logger = Logger(label: "test-db")
        do {
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger)
            do {
                _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        } catch let error as PSQLError {
            throw TestDatabaseError(sql: sql, error: error)
        }
    }
}

/// PostgresNIO hides the server's message unless asked; a failing test should say what went wrong.
struct TestDatabaseError: Error, CustomStringConvertible {
    var sql: String
    var sqlState: String?
    var detail: String

    init(sql: String, error: PSQLError) {
        self.sql = sql
        self.sqlState = error.serverInfo?[.sqlState]
        self.detail = String(reflecting: error)
    }

    var description: String { "\(sql): \(detail)" }
}
