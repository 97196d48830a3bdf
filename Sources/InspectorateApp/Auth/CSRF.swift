import InspectorateCore
import Vapor

extension Request {
    /// The anti-forgery token every form carries in `_csrf`. A signed-in person's lives in
    /// their session; a visitor's (the sign-in form) in a cookie of its own, so reading the
    /// sign-in page stores nothing on the server (`AnonymousFormToken`).
    var csrfToken: String {
        if auth.has(User.self) || session.data[SessionKey.userID] != nil {
            if let token = session.data[SessionKey.csrf] { return token }
            let token = Self.newFormToken()
            session.data[SessionKey.csrf] = token
            return token
        }
        if let token = storage[AnonymousFormToken.Key.self] { return token }
        let sent = cookies[AnonymousFormToken.cookie]?.string ?? ""
        let token = AnonymousFormToken.isWellFormed(sent) ? sent : Self.newFormToken()
        storage[AnonymousFormToken.Key.self] = token
        return token
    }

    /// The token a form must send back, if there is one yet.
    fileprivate var expectedFormToken: String? {
        if auth.has(User.self) || session.data[SessionKey.userID] != nil { return session.data[SessionKey.csrf] }
        return cookies[AnonymousFormToken.cookie]?.string
    }

    static func newFormToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 36) }.joined()
    }
}

/// A visitor's form token, as a double-submit cookie: strict same-site and HTTP-only, so
/// another site can neither send it nor read it to copy into a form.
enum AnonymousFormToken {
    static let cookie = "inspectorate-form"
    struct Key: StorageKey { typealias Value = String }

    static func isWellFormed(_ token: String) -> Bool {
        (16...64).contains(token.utf8.count) && token.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }
    }
}

/// Every state-changing form must carry the form token in `_csrf`. API clients use bearer
/// tokens, not cookies, so the API group does not need this. Runs after the sender is known
/// (`RequireUser` on signed-in groups), and reads at most the route's own body limit.
struct CSRFMiddleware: AsyncMiddleware {
    struct Field: Decodable { var _csrf: String? }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if [.POST, .PUT, .PATCH, .DELETE].contains(req.method) {
            // The body may still be streaming: read it in, up to the route's own limit, so the
            // token can be found among its fields. A body that is not a form has no token.
            _ = try await req.collectBody()
            let sent = (try? req.form(Field.self))?._csrf
            guard let expected = req.expectedFormToken, let sent, Data(sent.utf8) == Data(expected.utf8) else {
                throw DomainError.forbidden(
                    reason: "This form has expired or did not come from this site. Go back, reload the page and try again.")
            }
        }
        let response = try await next.respond(to: req)
        if let token = req.storage[AnonymousFormToken.Key.self], req.cookies[AnonymousFormToken.cookie]?.string != token {
            response.cookies[AnonymousFormToken.cookie] = HTTPCookies.Value(
                string: token, path: "/", isSecure: req.application.settings.secureCookies, isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }
}
