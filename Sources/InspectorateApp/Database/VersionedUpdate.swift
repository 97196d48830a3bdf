import Fluent
import Foundation
import SQLKit

/// Optimistic concurrency for every editable record: the write happens only if the row is
/// still at the version the editor loaded, decided atomically by the database.
enum VersionedUpdate {
    typealias Value = (any Encodable & Sendable)?

    /// Returns false when the row has moved on (or is gone): the caller reports 409.
    static func apply(
        table: String, id: UUID, expectedVersion: Int, values: [(String, Value)], at now: Date, on db: any Database
    ) async throws -> Bool {
        try await apply(table: table, key: [("id", id)], expectedVersion: expectedVersion, values: values, at: now, on: db)
    }

    /// The same for a row known by several columns (`key`).
    static func apply(
        table: String, key: [(String, any Encodable & Sendable)], expectedVersion: Int, values: [(String, Value)],
        at now: Date, on db: any Database
    ) async throws -> Bool {
        var update = try db.sql.update(table)
            .set("version", to: expectedVersion + 1)
            .set("updated_at", to: now)
        for (column, value) in values {
            if let value { update = update.set(column, to: value) } else { update = update.set(column, to: SQLLiteral.null) }
        }
        for (column, value) in key { update = update.where(SQLIdentifier(column), .equal, SQLBind(value)) }
        let rows =
            try await update
            .where("version", .equal, expectedVersion)
            .returning("version")
            .all()
        return !rows.isEmpty
    }
}
