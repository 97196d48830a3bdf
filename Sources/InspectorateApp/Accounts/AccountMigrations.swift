import Fluent
import SQLKit

struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("organisation_id", .uuid, .references("organisations", "id", onDelete: .restrict))
            .field("active", .bool, .required)
            .field("password_hash", .string, .required)
            .field("vetting_level", .string, .required)
            .field("vetting_granted", .datetime)
            .field("vetting_expires", .datetime)
            .field("version", .int64, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").delete()
    }
}

struct CreateAPITokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("api_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("last_used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").delete()
    }
}

/// Failed sign-ins, kept in the database so that every app instance sharing it sees the
/// same count for an account or an address.
struct CreateLoginFailures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("login_failures")
            .id()
            .field("throttle_key", .string, .required)
            .field("occurred_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "login_failures_key_time").on("login_failures").column("throttle_key").column("occurred_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("login_failures").delete()
    }
}

/// Who recorded a vetting grant and the vetting authority's reference for it.
struct AddVettingAuthority: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema("users").field("vetting_reference", .string, .required, .sql(.default(""))).update()
        try await database.schema("users").field("vetting_granted_by", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("vetting_granted_by").update()
        try await database.schema("users").deleteField("vetting_reference").update()
    }
}
