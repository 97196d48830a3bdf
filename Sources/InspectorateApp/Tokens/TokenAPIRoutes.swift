import Fluent
import InspectorateCore
import Vapor

struct TokenAPIRoutes: RouteCollection {
    /// Token creation is where API clients sign in, so it takes no token itself.
    func bootPublic(routes: any RoutesBuilder) {
        routes.post(APIURL.tokens, use: create)
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.tokens, use: list)
        routes.delete(APIURL.token(.key), use: revoke)
    }

    struct CreateBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case email, password, name, expires_in_days }
        var email: String
        var password: String
        var name: String?
        var expires_in_days: Int?
    }

    struct Created: Content {
        var token: String
        var details: APITokenDTO
    }

    func create(req: Request) async throws -> Response {
        let body = try req.strictBody(CreateBody.self)
        let user = try await SignInService.authenticate(
            email: body.email, password: body.password, address: req.clientAddress, caller: req.caller,
            hasher: req.password.async, cost: req.application.settings.bcryptCost, on: req.db)
        let (token, secret) = try await TokenService.issue(
            for: user, name: body.name ?? "API token", days: body.expires_in_days,
            maximumDays: req.application.settings.maximumTokenDays, caller: req.caller.acting(as: user), on: req.db)
        return try await Created(token: secret, details: try APITokenDTO(token)).encodeResponse(status: .created, for: req)
    }

    struct ListResponse: Content { var tokens: [APITokenDTO] }

    func list(req: Request) async throws -> ListResponse {
        ListResponse(tokens: try await TokenService.list(for: try req.currentUser, on: req.db).map { try APITokenDTO($0) })
    }

    func revoke(req: Request) async throws -> APITokenDTO {
        let id = try req.parameter("id", as: UUID.self, naming: "token")
        return try APITokenDTO(try await TokenService.revoke(id: id, of: try req.currentUser, caller: req.caller, on: req.db))
    }
}
