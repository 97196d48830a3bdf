import Fluent
import InspectorateCore
import SQLKit

/// Organisation operations shared by the web pages, the JSON API and the CLI.
enum OrganisationService {
    /// The list every page and the API start from: one query, read in bulk.
    static func list(_ query: OrganisationQuery, scope: OrganisationScope, on db: any Database) async throws -> [OrganisationSummary] {
        var select = try db.sql.select()
            .columns(OrganisationSummary.columns)
            .from(Organisation.schema)
        switch scope {
        case .all: break
        case .only(let id): select = select.where("id", .equal, id)
        case .nothing: return []
        }
        if let region = query.region { select = select.where("region", .equal, region) }
        if let kind = query.kind { select = select.where("kind", .equal, kind.rawValue) }
        let direction: SQLDirection = query.descending ? .descending : .ascending
        let column: String
        switch query.sort {
        case .name: column = "name"
        case .code: column = "code"
        case .kind: column = "kind"
        case .region: column = "region"
        case .population: column = "population_2011"
        case .officers: column = "officers_2019"
        }
        select = select.orderBy(SQLOrderBy(expression: SQLColumn(column), direction: direction))
        if query.sort != .name { select = select.orderBy("name") }
        return try await BulkRead.rows(select.query, on: db).map(OrganisationSummary.init(row:))
    }

    /// Nil both when there is no such organisation and when the user may not see it.
    static func find(code: String, scope: OrganisationScope, on db: any Database) async throws -> Organisation? {
        try await Organisation.query(on: db).visible(to: scope).filter(\.$code == code).with(\.$aliases).first()
    }

    static func require(code: String, scope: OrganisationScope, on db: any Database) async throws -> Organisation {
        guard let organisation = try await find(code: code, scope: scope, on: db) else {
            throw DomainError.notFound("organisation")
        }
        return organisation
    }

    static func directory(on db: any Database) async throws -> OrganisationDirectory {
        let organisations = try await Organisation.query(on: db).with(\.$aliases).all()
        return OrganisationDirectory(
            organisations.map {
                KnownOrganisation(code: $0.code, name: $0.name, region: $0.region, aliases: $0.aliases.map(\.alias))
            })
    }

    /// The codes, names and aliases of `organisations`, to find one from what a person typed
    /// (`OrganisationNameIndex`: codes exactly, names and aliases loosely, ambiguity refused).
    static func nameIndex(of organisations: [Organisation], on db: any Database) async throws -> OrganisationNameIndex {
        let ids = organisations.compactMap(\.id)
        let aliases = ids.isEmpty ? [] : try await OrganisationAlias.query(on: db).filter(\.$organisation.$id ~~ ids).all()
        let byOrganisation = Dictionary(grouping: aliases, by: { $0.$organisation.id })
        return OrganisationNameIndex(
            organisations.map { organisation in
                (organisation.code, organisation.name, (organisation.id.flatMap { byOrganisation[$0] } ?? []).map(\.alias))
            })
    }
}
