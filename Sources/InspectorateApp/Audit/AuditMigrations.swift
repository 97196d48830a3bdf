import Fluent
import InspectorateCore
import SQLKit

/// The audit trail and its head. The head row is what concurrent appenders lock, so the
/// chain never forks; `seq` as the primary key is the second guard.
struct CreateAuditTrail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_entries")
            .field("seq", .int64, .identifier(auto: false))
            .field("at", .string, .required)
            .field("actor_id", .uuid)
            .field("actor_email", .string, .required)
            .field("actor_vetting", .string, .required)
            .field("action", .string, .required)
            .field("record_type", .string, .required)
            .field("record_id", .string, .required)
            .field("organisation_id", .uuid)
            .field("outcome", .string, .required)
            .field("request_id", .string, .required)
            .field("detail", .custom("TEXT"), .required)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for column in ["actor_id", "record_id", "organisation_id", "action", "at"] {
            try await sql.create(index: "audit_entries_\(column)").on("audit_entries").column(column).run()
        }
        try await database.schema("audit_head")
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int64, .required)
            .field("hash", .string, .required)
            .create()
        try await sql.insert(into: "audit_head").columns("id", "seq", "hash").values(
            SQLBind(1), SQLBind(0), SQLBind(AuditEntry.genesisHash)
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_head").delete()
        try await database.schema("audit_entries").delete()
    }
}
