import Fluent
import SQLKit

/// Groups (sharing spaces) and their members.
struct CreateGroups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("groups")
            .id()
            .field("name", .string, .required)
            .field("description", .custom("TEXT"), .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("version", .int, .required)
            .unique(on: "name")
            .create()
        try await database.schema("group_members")
            .id()
            .field("group_id", .uuid, .required, .references("groups", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("owner", .bool, .required)
            .field("added_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("added_at", .datetime, .required)
            .unique(on: "group_id", "user_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // The access filter looks memberships up by user for every record it tests.
        try await sql.create(index: "group_members_user").on("group_members").column("user_id").column("group_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("group_members").delete()
        try await database.schema("groups").delete()
    }
}

/// Documents and notes shared into a group, their file versions, the further need-to-know
/// groups of any marked record, and changes of marking.
struct CreateSharedItems: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("shared_items")
            .id()
            .field("group_id", .uuid, .required, .references("groups", "id", onDelete: .restrict))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("summary", .custom("TEXT"), .required)
            .field("body", .custom("TEXT"))
            .field("marking_level", .string, .required)
            .field("marking_descriptors", .string, .required)
            .field("review_date", .datetime)
            .field("expires_at", .datetime)
            .field("current_version", .int, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("version", .int, .required)
            .create()
        try await database.schema("shared_item_versions")
            .id()
            .field("item_id", .uuid, .required, .references("shared_items", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("filename", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("content", .data, .required)
            .field("uploaded_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("uploaded_at", .datetime, .required)
            .unique(on: "item_id", "number")
            .create()
        try await database.schema("record_groups")
            .id()
            .field("record_type", .string, .required)
            .field("record_id", .uuid, .required)
            .field("group_id", .uuid, .required, .references("groups", "id", onDelete: .restrict))
            .unique(on: "record_type", "record_id", "group_id")
            .create()
        try await database.schema("marking_changes")
            .id()
            .field("record_type", .string, .required)
            .field("record_id", .uuid, .required)
            .field("from_marking", .string, .required)
            .field("to_marking", .string, .required)
            .field("reason", .custom("TEXT"), .required)
            .field("changed_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("changed_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "shared_items_list").on("shared_items").column("created_at").column("id").run()
        try await sql.create(index: "shared_items_group").on("shared_items").column("group_id").run()
        try await sql.create(index: "marking_changes_record").on("marking_changes").column("record_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["marking_changes", "record_groups", "shared_item_versions", "shared_items"] {
            try await database.schema(table).delete()
        }
    }
}
