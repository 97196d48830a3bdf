import Fluent
import FluentSQLiteDriver
import NIOConcurrencyHelpers
import SQLKit

/// Reads rows for hot paths. Through Fluent or SQLKit, sqlite-nio hands each row back to
/// the event loop separately, which dominates the cost of a list (ENGINEERING-NOTES);
/// here the whole result is read on SQLite's thread pool and returned at once.
enum BulkRead {
    static func rows(_ query: any SQLExpression, on db: any Database) async throws -> [any SQLRow] {
        let sql = try db.sql
        let collected = NIOLockedValueBox<[any SQLRow]>([])
        guard let sqlite = db as? any SQLiteDatabase else {
            try await sql.execute(sql: query) { row in collected.withLockedValue { $0.append(row) } }
            return collected.withLockedValue { $0 }
        }
        var serializer = SQLSerializer(database: sql)
        query.serialize(to: &serializer)
        let encoder = SQLiteDataEncoder()
        let binds = try serializer.binds.map { try encoder.encode($0) }
        let text = serializer.sql
        try await sqlite.withConnection { connection in
            try await connection.query(text, binds) { row in collected.withLockedValue { $0.append(row.sql()) } }
        }
        return collected.withLockedValue { $0 }
    }
}
