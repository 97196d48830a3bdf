import Fluent

/// Framework versions are stored whole: the document as imported, and its parsed form.
/// A version never changes once imported; a changed framework is a new version.
struct CreateFrameworks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("frameworks")
            .id()
            .field("code", .string, .required)
            .field("version", .string, .required)
            .field("title", .string, .required)
            .field("document", .custom("TEXT"), .required)
            .field("canonical", .custom("TEXT"), .required)
            .field("imported_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("imported_at", .datetime, .required)
            .unique(on: "code", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("frameworks").delete()
    }
}
