import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Vapor

enum DatabaseSetup {
    static func use(_ settings: Settings, on app: Application) throws {
        switch settings.database {
        case .sqliteMemory:
            app.databases.use(.sqlite(.memory, sqlLogLevel: .debug), as: .sqlite)
        case .sqliteFile(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
        case .postgres(let url):
            let config = try SQLPostgresConfiguration(url: url)
            app.databases.use(
                .postgres(configuration: config, maxConnectionsPerEventLoop: settings.databasePoolPerEventLoop, sqlLogLevel: .debug),
                as: .psql
            )
        }
    }

    /// WAL lets readers carry on while one writer commits. It is a property of the file,
    /// so setting it once per start is enough. (sqlite-kit turns foreign keys on itself.)
    static func prepareFile(_ app: Application) async throws {
        guard case .sqliteFile = app.settings.database, let sql = app.db as? any SQLDatabase else { return }
        try await sql.raw("PRAGMA journal_mode=WAL").run()
    }
}
