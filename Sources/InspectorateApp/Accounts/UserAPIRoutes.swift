import Fluent
import InspectorateCore
import Vapor

struct UserAPIRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.me, use: me)
        let users = routes.guarded(by: .manageUsers)
        users.get(APIURL.users, use: list)
        users.post(APIURL.users, use: create)
        users.get(APIURL.user(.key), use: show)
        users.patch(APIURL.user(.key), use: update)
    }

    func me(req: Request) async throws -> UserDTO {
        let user = try req.currentUser
        _ = try await user.$organisation.get(on: req.db)
        return try UserDTO(user, now: req.now)
    }

    struct ListResponse: Content { var users: [UserDTO] }

    func list(req: Request) async throws -> ListResponse {
        ListResponse(users: try await UserService.list(on: req.db).map { try UserDTO($0, now: req.now) })
    }

    func show(req: Request) async throws -> UserDTO {
        try UserDTO(try await load(req), now: req.now)
    }

    func load(_ req: Request) async throws -> User {
        guard let user = try await UserService.find(id: try req.parameter("id", as: UUID.self, naming: "user"), on: req.db) else {
            throw DomainError.notFound("user")
        }
        return user
    }

    struct CreateBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable {
            case email, display_name, role, organisation, password, vetting_level, vetting_granted, vetting_expires, vetting_reference
        }
        var email: String
        var display_name: String
        var role: Role
        var organisation: String?
        var password: String?
        var vetting_level: VettingLevel?
        var vetting_granted: Date?
        var vetting_expires: Date?
        var vetting_reference: String?
    }

    struct Created: Content {
        var user: UserDTO
        /// Present only when the server generated the password: shown this once.
        var generatedPassword: String?
        enum CodingKeys: String, CodingKey { case user; case generatedPassword = "generated_password" }
    }

    func create(req: Request) async throws -> Response {
        let body = try req.strictBody(CreateBody.self)
        let changes = UserChanges(
            email: body.email, displayName: body.display_name, role: body.role,
            organisationCode: body.organisation, vettingLevel: body.vetting_level,
            vettingGranted: .some(body.vetting_granted), vettingExpires: .some(body.vetting_expires),
            vettingReference: body.vetting_reference)
        let (user, generated) = try await UserService.create(
            changes, password: body.password, hasher: req.password.async, caller: req.caller, on: req.db)
        let fresh = try await UserService.find(id: user.requireID(), on: req.db) ?? user
        return try await Created(user: try UserDTO(fresh, now: req.now), generatedPassword: generated).encodeResponse(
            status: .created, for: req)
    }

    struct UpdateBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable {
            case display_name, role, organisation, active, vetting_level, vetting_granted, vetting_expires, vetting_reference, version
        }
        var display_name: String?
        var role: Role?
        var organisation: String?
        var active: Bool?
        var vetting_level: VettingLevel?
        var vetting_granted: Date?
        var vetting_expires: Date?
        var vetting_reference: String?
        var version: Int
    }

    func update(req: Request) async throws -> UserDTO {
        let user = try await load(req)
        let body = try req.strictBody(UpdateBody.self)
        let changes = UserChanges(
            displayName: body.display_name, role: body.role, organisationCode: body.organisation,
            active: body.active, vettingLevel: body.vetting_level,
            vettingGranted: body.vetting_granted.map { .some($0) },
            vettingExpires: body.vetting_expires.map { .some($0) }, vettingReference: body.vetting_reference)
        return try UserDTO(
            try await UserService.update(user, with: changes, expectedVersion: body.version, caller: req.caller, on: req.db), now: req.now)
    }
}
