import Fluent

/// Migrations name tables and columns by string, never through today's model types,
/// so that they keep meaning what they meant when they first ran.
struct CreateOrganisations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("organisations")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("region", .string)
            .field("country", .string)
            .field("population_2011", .int64)
            .field("officers_2019", .int64)
            .field("version", .int64, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema("organisation_aliases")
            .id()
            .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
            .field("alias", .string, .required)
            .field("alias_key", .string, .required)
            .unique(on: "alias_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("organisation_aliases").delete()
        try await database.schema("organisations").delete()
    }
}
