import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit

/// Multi-row INSERTs for bulk work: thousands of rows per statement instead of one, inside
/// the caller's transaction. Row-at-a-time inserts through the ORM cost a round trip to
/// SQLite's thread pool each (ENGINEERING-NOTES).
enum BulkInsert {
    /// Both SQLite (32,766) and PostgreSQL (65,535) allow more bound values per statement.
    static let maximumBinds = 30_000

    static func rows(
        into table: String, columns: [String], values: [[any Encodable & Sendable]], on db: any Database,
        progress: (Int) -> Void = { _ in }
    ) async throws {
        guard !values.isEmpty else { return }
        let perStatement = max(1, maximumBinds / columns.count)
        var done = 0
        for start in stride(from: 0, to: values.count, by: perStatement) {
            let batch = values[start..<min(values.count, start + perStatement)]
            if let sqlite = db as? any SQLiteDatabase {
                try await insertSQLite(into: table, columns: columns, batch: batch, on: sqlite)
            } else {
                let sql = try db.sql
                var insert = sql.insert(into: table).columns(columns)
                for row in batch { insert = insert.values(row.map { SQLBind($0) }) }
                try await insert.run()
            }
            done += batch.count
            progress(done)
        }
    }

    /// On SQLite the statement text is written directly and the values converted once,
    /// which is most of the cost at millions of rows.
    private static func insertSQLite(
        into table: String, columns: [String], batch: ArraySlice<[any Encodable & Sendable]>,
        on sqlite: any SQLiteDatabase
    ) async throws {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        let text =
            "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ",") + ") VALUES "
            + Array(repeating: row, count: batch.count).joined(separator: ",")
        let encoder = SQLiteDataEncoder()
        var binds: [SQLiteData] = []
        binds.reserveCapacity(batch.count * columns.count)
        for values in batch { for value in values { binds.append(try sqliteData(value, encoder: encoder)) } }
        let bound = binds
        try await sqlite.withConnection { connection in
            try await connection.query(text, bound) { _ in }
        }
    }
}

extension BulkInsert {
    /// The column types bulk work writes, converted as Fluent stores them (UUIDs as text,
    /// dates as seconds) without the encoder's search for a conformance, which at millions
    /// of values costs more than SQLite's own work.
    static func sqliteData(_ value: any Encodable & Sendable, encoder: SQLiteDataEncoder) throws -> SQLiteData {
        switch value {
        case let uuid as UUID: return .text(uuid.uuidString)
        case let text as String: return .text(text)
        case let number as Int: return .integer(number)
        case let flag as Bool: return .integer(flag ? 1 : 0)
        case let date as Date: return .float(date.timeIntervalSince1970)
        case let uuid as UUID?: return uuid.map { .text($0.uuidString) } ?? .null
        case let text as String?: return text.map { .text($0) } ?? .null
        case let number as Int?: return number.map { .integer($0) } ?? .null
        default: return try encoder.encode(value)
        }
    }
}

/// Time-ordered UUIDs (version 7) for rows written in bulk: each follows the one before,
/// so primary-key indexes grow at their end instead of at random pages.
struct OrderedIDs {
    private let prefix: [UInt8]
    private var counter: UInt64

    init(now: Date) {
        let milliseconds = UInt64(now.timeIntervalSince1970 * 1000)
        var random = SystemRandomNumberGenerator()
        prefix =
            (0..<6).reversed().map { UInt8(truncatingIfNeeded: milliseconds >> (8 * UInt64($0))) }
            + [
                0x70 | UInt8.random(in: 0...15, using: &random), UInt8.random(in: 0...255, using: &random),
                0x80 | UInt8.random(in: 0...63, using: &random),
            ]
        counter = UInt64.random(in: 0..<(1 << 40), using: &random)
    }

    mutating func next() -> UUID {
        counter += 1
        let tail = (0..<7).reversed().map { UInt8(truncatingIfNeeded: counter >> (8 * UInt64($0))) }
        let b = prefix + tail
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
