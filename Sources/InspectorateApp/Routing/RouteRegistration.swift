import InspectorateCore
import Vapor

/// How a route's request body is read, and how much of it. Every limit comes from the
/// settings (`Settings.limits`).
enum BodyLimit: String, Sendable {
    /// Forms and JSON: collected up to `INSPECTORATE_MAX_BODY` before the handler runs.
    case standard
    /// A file upload: streamed, and read (up to `INSPECTORATE_MAX_UPLOAD_MB`) only by the
    /// handler, once the sender is known to be signed in.
    case upload
    /// A bulk import file: streamed, up to `INSPECTORATE_MAX_IMPORT_MB`.
    case bulkImport

    static let userInfoKey = "bodyLimit"
}

extension Route {
    /// The permission the route's group requires, if any (set by `guarded(by:)`).
    var permission: Permission? { userInfo[Self.permissionKey] as? Permission }
    /// How the route reads its body.
    var bodyLimit: BodyLimit { userInfo[BodyLimit.userInfoKey] as? BodyLimit ?? .standard }

    static let permissionKey = "permission"
}

extension RoutesBuilder {
    /// Registers a route of the table: its path from `url`, its body read as `body` says.
    @discardableResult
    func on<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ url: some RoutePath, body: BodyLimit = .standard,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = on(method, url.pathComponents, body: body == .standard ? .collect : .stream, use: handler)
        route.userInfo[BodyLimit.userInfoKey] = body
        return route
    }

    @discardableResult
    func get<Response: AsyncResponseEncodable>(
        _ url: some RoutePath, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.GET, url, use: handler)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ url: some RoutePath, body: BodyLimit = .standard, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.POST, url, body: body, use: handler)
    }

    @discardableResult
    func put<Response: AsyncResponseEncodable>(
        _ url: some RoutePath, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.PUT, url, use: handler)
    }

    @discardableResult
    func patch<Response: AsyncResponseEncodable>(
        _ url: some RoutePath, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.PATCH, url, use: handler)
    }

    @discardableResult
    func delete<Response: AsyncResponseEncodable>(
        _ url: some RoutePath, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.DELETE, url, use: handler)
    }

    /// Routes that need `permission`: refused (404, audited) for anyone without it, and
    /// tagged with it so tests can check every route for every role.
    func guarded(by permission: Permission) -> any RoutesBuilder {
        PermissionRoutes(base: grouped(RequirePermission(permission)), permission: permission)
    }
}

/// Tags each route added through it with the permission its middleware enforces.
private struct PermissionRoutes: RoutesBuilder {
    let base: any RoutesBuilder
    let permission: Permission

    func add(_ route: Route) {
        route.userInfo[Route.permissionKey] = permission
        base.add(route)
    }
}

extension Request {
    /// The body of a streamed route, read up to its limit: 413 beyond it, before a byte of
    /// it is parsed, whether it is still arriving or already in memory.
    func collectBody() async throws -> ByteBuffer {
        let limits = application.settings.limits
        let maximum =
            switch route?.bodyLimit ?? .standard {
            case .standard: limits.body
            case .upload: limits.upload
            case .bulkImport: limits.bulkImport
            }
        if let data = body.data {
            guard data.readableBytes <= maximum else { throw Abort(.payloadTooLarge) }
            return data
        }
        return try await body.collect(max: maximum).get() ?? ByteBuffer()
    }
}
