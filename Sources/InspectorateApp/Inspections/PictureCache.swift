import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// Keeps the national picture's summary figures so that a warm picture of tens of thousands
/// of organisations costs two small queries. Every write that changes a cycle's results
/// moves its `results_version` on; a summary computed at an older count is recomputed.
enum PictureCache {
    /// Called in the transaction of every change to results, tiers or scope: this cycle and
    /// any cycle that follows it (whose movement is measured against it).
    static func invalidate(cycleID: UUID, on db: any Database) async throws {
        try await (try db.sql).raw(
            """
            UPDATE cycles SET results_version = results_version + 1 WHERE id = \(bind: cycleID) OR previous_cycle_id = \(bind: cycleID)
            """
        ).run()
    }

    static func version(of cycleID: UUID, on db: any Database) async throws -> Int {
        let row = try await (try db.sql).raw("SELECT results_version FROM cycles WHERE id = \(bind: cycleID)").first()
        return try row?.decode(column: "results_version", as: Int.self) ?? 0
    }

    /// The summary for these filters, from the cache when it is current.
    static func summary(
        of cycle: Cycle, key: String, compute: () async throws -> PictureSummary,
        on db: any Database
    ) async throws -> PictureSummary {
        let cycleID = try cycle.requireID()
        let sql = try db.sql
        let current = try await version(of: cycleID, on: db)
        if let row = try await sql.raw(
            """
            SELECT results_version, summary FROM picture_summaries WHERE cycle_id = \(bind: cycleID) AND filter_key = \(bind: key)
            """
        ).first(),
            try row.decode(column: "results_version", as: Int.self) == current,
            let cached = try? JSONDecoder().decode(PictureSummary.self, from: Data(try row.decode(column: "summary", as: String.self).utf8))
        {
            return cached
        }
        let summary = try await compute()
        let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        // Two instances may compute the same summary at once; either result is right.
        try? await db.transaction { tx in
            let sql = try tx.sql
            try await sql.raw("DELETE FROM picture_summaries WHERE cycle_id = \(bind: cycleID) AND filter_key = \(bind: key)").run()
            try await sql.raw(
                """
                INSERT INTO picture_summaries (id, cycle_id, filter_key, results_version, summary)
                VALUES (\(bind: UUID()), \(bind: cycleID), \(bind: key), \(bind: current), \(bind: json))
                """
            ).run()
        }
        return summary
    }
}
