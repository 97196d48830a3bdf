import Fluent
import InspectorateCore
import Vapor

extension User: Authenticatable {}

extension Request {
    /// The signed-in user, or 401 (API) / a redirect to sign in (pages).
    var currentUser: User {
        get throws {
            guard let user = auth.get(User.self) else {
                throw DomainError.unauthenticated("Sign in, or send a valid API token as 'Authorization: Bearer …'")
            }
            return user
        }
    }

    var principal: Principal {
        get throws { try currentUser.principal }
    }

    var organisationScope: OrganisationScope {
        get throws { AccessRule.organisationScope(for: try principal) }
    }

    /// Where the request came from, for throttling.
    var clientAddress: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}

/// Session keys. The stamp ties a session to the password it was opened with, so a
/// password change or reset ends every other session.
enum SessionKey {
    static let userID = "uid"
    static let expires = "exp"
    static let stamp = "stamp"
    static let csrf = "csrf"

    static func stamp(for user: User) -> String {
        String(TokenService.hash(user.passwordHash).prefix(16))
    }
}

/// Restores the user of a web session: loaded afresh from the database on every request,
/// so disabling an account or changing its role takes effect at once.
struct SessionUserAuthenticator: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let raw = req.session.data[SessionKey.userID] {
            let expires = req.session.data[SessionKey.expires].flatMap(Double.init) ?? 0
            if let id = UUID(uuidString: raw), req.now.timeIntervalSince1970 < expires,
                let user = try await User.find(id, on: req.db), user.active,
                req.session.data[SessionKey.stamp] == SessionKey.stamp(for: user)
            {
                req.auth.login(user)
            } else {
                req.session.data[SessionKey.userID] = nil
                req.session.data[SessionKey.stamp] = nil
            }
        }
        return try await next.respond(to: req)
    }
}

/// API clients send `Authorization: Bearer insp_…`. Decided without leaving the event loop
/// when the read cache holds the token (nearly every request); otherwise read from the
/// database.
struct BearerUserAuthenticator: Middleware {
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let bearer = req.headers.bearerAuthorization else { return next.respond(to: req) }
        let cache = req.readCache
        let now = req.now
        if let decided = TokenService.cachedUser(forSecret: bearer.token, now: now, cache: cache) {
            return proceed(decided, req, next)
        }
        return req.eventLoop.makeFutureWithTask {
            try await TokenService.user(forSecret: bearer.token, now: now, cache: cache, on: req.db)
        }.flatMap { proceed($0, req, next) }
    }

    private func proceed(_ user: User?, _ req: Request, _ next: any Responder) -> EventLoopFuture<Response> {
        guard let user else {
            return req.eventLoop.makeFailedFuture(DomainError.unauthenticated("The API token is unknown, expired or revoked"))
        }
        req.auth.login(user)
        return next.respond(to: req)
    }
}

struct RequireUser: Middleware {
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard req.auth.has(User.self) else {
            return req.eventLoop.makeFailedFuture(
                DomainError.unauthenticated("Sign in, or send a valid API token as 'Authorization: Bearer …'"))
        }
        return next.respond(to: req)
    }
}

/// Guards a group of routes with one of the access rule's permissions.
struct RequirePermission: AsyncMiddleware {
    let permission: Permission

    init(_ permission: Permission) { self.permission = permission }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard permission.allows(try req.principal) else {
            try await Audit.record(
                AuditEvent(
                    action: "access", recordType: "route", recordID: "\(req.method) \(req.url.path)",
                    outcome: .denied, detail: "role \(try req.principal.role.rawValue)"),
                caller: req.caller, on: req.db)
            // Administration pages are not secret, but their contents are: say 404 so
            // their existence is not confirmed to those who cannot use them.
            throw DomainError.notFound("page")
        }
        return try await next.respond(to: req)
    }
}
