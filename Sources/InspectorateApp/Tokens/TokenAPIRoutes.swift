import Vapor
import Fluent

struct TokenAPIRoutes: RouteCollection {
    /// Token creation is where API clients sign in, so it takes no token itself.
    func bootPublic(routes: any RoutesBuilder) {
        routes.post("tokens", use: create)
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("tokens", use: list)
        routes.delete("tokens", ":id", use: revoke)
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
        let user = try await SignInService.authenticate(email: body.email, password: body.password, address: req.clientAddress, requestID: req.id,
                                                        hasher: req.password.async, on: req.db)
        let (token, secret) = try await TokenService.issue(for: user, name: body.name ?? "API token", days: body.expires_in_days,
                                                           maximumDays: req.application.settings.maximumTokenDays, actor: AuditActor(user: user, requestID: req.id), on: req.db)
        return try await Created(token: secret, details: APITokenDTO(token)).encodeResponse(status: .created, for: req)
    }

    struct ListResponse: Content { var tokens: [APITokenDTO] }

    func list(req: Request) async throws -> ListResponse {
        ListResponse(tokens: try await TokenService.list(for: try req.currentUser, on: req.db).map(APITokenDTO.init))
    }

    func revoke(req: Request) async throws -> APITokenDTO {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("token") }
        return APITokenDTO(try await TokenService.revoke(id: id, of: try req.currentUser, actor: req.auditActor, on: req.db))
    }
}
