import Fluent
import InspectorateCore
import Vapor

struct OrganisationAPIRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.organisations.pathComponents, use: list)
        routes.get(APIURL.organisation(.key), use: show)
        routes.guarded(by: .registerPartners).post(APIURL.organisations, use: create)
        routes.patch(APIURL.organisation(.key), use: update)
    }

    struct ListResponse: Content {
        var organisations: [OrganisationDTO]
        var count: Int
    }

    /// Served from the read cache without leaving the event loop when it holds the list.
    func list(req: Request) throws -> EventLoopFuture<Response> {
        // Each `req.query[…]` parses the whole query string: skip them when there is none.
        let query =
            (req.url.query ?? "").isEmpty
            ? OrganisationQuery()
            : try OrganisationQuery(
                region: req.query["region"], kind: req.query["kind"], sort: req.query["sort"], order: req.query["order"])
        let scope = try req.organisationScope
        // The list depends on the database, who may see what, and the filters: nothing else.
        let key = "organisations \(scope.cacheKey) \(query.cacheKey)"
        let cache = req.readCache
        if let cached = cache.cachedResponse(key) { return req.eventLoop.makeSucceededFuture(cached) }
        return req.eventLoop.makeFutureWithTask {
            try await cache.respond(key, for: req) {
                let organisations = try await OrganisationService.list(query, scope: scope, on: req.db)
                return ListResponse(organisations: organisations.map { OrganisationDTO($0) }, count: organisations.count)
            }
        }
    }

    func show(req: Request) async throws -> OrganisationDTO {
        OrganisationDTO(
            try await OrganisationService.require(code: try req.parameter("code"), scope: try req.organisationScope, on: req.db))
    }

    struct CreateBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case code, name, region, country, population_2011, officers_2019 }
        var code: String?
        var name: String
        var region: String?
        var country: String?
        var population_2011: Int?
        var officers_2019: Int?
    }

    func create(req: Request) async throws -> Response {
        let body = try req.strictBody(CreateBody.self)
        let organisation = try await OrganisationService.createPartner(
            OrganisationChanges(
                code: body.code, name: body.name, region: body.region, country: body.country,
                population2011: body.population_2011, officers2019: body.officers_2019), caller: req.caller, on: req.db)
        return try await OrganisationDTO(organisation).encodeResponse(status: .created, for: req)
    }

    struct UpdateBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case name, region, country, population_2011, officers_2019, version }
        var name: String?
        var region: String?
        var country: String?
        var population_2011: Int?
        var officers_2019: Int?
        var version: Int
    }

    func update(req: Request) async throws -> OrganisationDTO {
        let organisation = try await OrganisationService.require(
            code: try req.parameter("code"), scope: try req.organisationScope, on: req.db)
        guard AccessRule.canEdit(organisationOfKind: organisation.kind, principal: try req.principal) else {
            throw DomainError.forbidden(
                reason: "Only administrators can change the details of \(organisation.kind.displayName.lowercased())s")
        }
        let body = try req.strictBody(UpdateBody.self)
        let changes = OrganisationChanges(
            name: body.name, region: body.region, country: body.country,
            population2011: body.population_2011, officers2019: body.officers_2019)
        return OrganisationDTO(
            try await OrganisationService.update(organisation, with: changes, expectedVersion: body.version, caller: req.caller, on: req.db)
        )
    }
}
