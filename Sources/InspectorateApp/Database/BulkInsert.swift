import Fluent
import SQLKit

/// Multi-row INSERTs for bulk work: thousands of rows per statement instead of one, inside
/// the caller's transaction. Row-at-a-time inserts through the ORM cost a round trip to
/// SQLite's thread pool each (ENGINEERING-NOTES).
enum BulkInsert {
    /// Both SQLite (32,766) and PostgreSQL (65,535) allow more bound values per statement.
    static let maximumBinds = 30_000

    static func rows(into table: String, columns: [String], values: [[any Encodable & Sendable]], on db: any Database,
                     progress: (Int) -> Void = { _ in }) async throws {
        guard !values.isEmpty else { return }
        let sql = db as! any SQLDatabase
        let perStatement = max(1, maximumBinds / columns.count)
        var done = 0
        for start in stride(from: 0, to: values.count, by: perStatement) {
            let batch = values[start..<min(values.count, start + perStatement)]
            var insert = sql.insert(into: table).columns(columns)
            for row in batch { insert = insert.values(row.map { SQLBind($0) }) }
            try await insert.run()
            done += batch.count
            progress(done)
        }
    }
}
