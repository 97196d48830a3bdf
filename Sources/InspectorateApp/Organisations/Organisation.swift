import Fluent
import InspectorateCore
import SQLKit
import Vapor

final class Organisation: Model, @unchecked Sendable {
    static let schema = "organisations"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: OrganisationKind
    @OptionalField(key: "region") var region: String?
    @OptionalField(key: "country") var country: String?
    @OptionalField(key: "population_2011") var population2011: Int?
    @OptionalField(key: "officers_2019") var officers2019: Int?
    /// Bumped on every write; a write that names an older version is refused (409).
    @Field(key: "version") var version: Int
    @Children(for: \.$organisation) var aliases: [OrganisationAlias]
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    init() {}

    init(
        code: String, name: String, kind: OrganisationKind, region: String?, country: String?,
        population2011: Int? = nil, officers2019: Int? = nil
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.region = region
        self.country = country
        self.population2011 = population2011
        self.officers2019 = officers2019
        self.version = 1
    }
}

final class OrganisationAlias: Model, @unchecked Sendable {
    static let schema = "organisation_aliases"

    @ID(key: .id) var id: UUID?
    @Parent(key: "organisation_id") var organisation: Organisation
    @Field(key: "alias") var alias: String
    /// `NameKey` of the alias: unique, so one name never points at two organisations.
    @Field(key: "alias_key") var aliasKey: String

    init() {}

    init(organisationID: UUID, alias: String) {
        self.$organisation.id = organisationID
        self.alias = alias
        self.aliasKey = NameKey.make(alias)
    }
}

/// An organisation as lists show it: a plain value read in bulk, without the cost of
/// building a Fluent model per row.
struct OrganisationSummary: Sendable {
    var id: UUID
    var code: String
    var name: String
    var kind: OrganisationKind
    var region: String?
    var country: String?
    var population2011: Int?
    var officers2019: Int?
    var version: Int

    static let columns = ["id", "code", "name", "kind", "region", "country", "population_2011", "officers_2019", "version"]

    init(_ organisation: Organisation) {
        id = organisation.id ?? UUID()
        code = organisation.code
        name = organisation.name
        kind = organisation.kind
        region = organisation.region
        country = organisation.country
        population2011 = organisation.population2011
        officers2019 = organisation.officers2019
        version = organisation.version
    }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        code = try row.decode(column: "code", as: String.self)
        name = try row.decode(column: "name", as: String.self)
        kind = try row.decode(column: "kind", as: OrganisationKind.self)
        region = try row.decode(column: "region", as: String?.self)
        country = try row.decode(column: "country", as: String?.self)
        population2011 = try row.decode(column: "population_2011", as: Int?.self)
        officers2019 = try row.decode(column: "officers_2019", as: Int?.self)
        version = try row.decode(column: "version", as: Int.self)
    }
}
