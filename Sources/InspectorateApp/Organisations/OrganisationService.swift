import Fluent
import InspectorateCore

/// Organisation operations shared by the web pages, the JSON API and the CLI.
enum OrganisationService {
    static func list(_ query: OrganisationQuery, scope: OrganisationScope, on db: any Database) async throws -> [Organisation] {
        var builder = Organisation.query(on: db).visible(to: scope)
        if let region = query.region { builder = builder.filter(\.$region == region) }
        if let kind = query.kind { builder = builder.filter(\.$kind == kind) }
        let direction: DatabaseQuery.Sort.Direction = query.descending ? .descending : .ascending
        switch query.sort {
        case .name: builder = builder.sort(\.$name, direction)
        case .code: builder = builder.sort(\.$code, direction)
        case .kind: builder = builder.sort(\.$kind, direction).sort(\.$name)
        case .region: builder = builder.sort(\.$region, direction).sort(\.$name)
        case .population: builder = builder.sort(\.$population2011, direction).sort(\.$name)
        case .officers: builder = builder.sort(\.$officers2019, direction).sort(\.$name)
        }
        return try await builder.all()
    }

    /// Nil both when there is no such organisation and when the user may not see it.
    static func find(code: String, scope: OrganisationScope, on db: any Database) async throws -> Organisation? {
        try await Organisation.query(on: db).visible(to: scope).filter(\.$code == code).with(\.$aliases).first()
    }

    static func require(code: String, scope: OrganisationScope, on db: any Database) async throws -> Organisation {
        guard let organisation = try await find(code: code, scope: scope, on: db) else {
            throw AppError.notFound("organisation")
        }
        return organisation
    }

    static func directory(on db: any Database) async throws -> OrganisationDirectory {
        let organisations = try await Organisation.query(on: db).with(\.$aliases).all()
        return OrganisationDirectory(organisations.map {
            KnownOrganisation(code: $0.code, name: $0.name, region: $0.region, aliases: $0.aliases.map(\.alias))
        })
    }
}
