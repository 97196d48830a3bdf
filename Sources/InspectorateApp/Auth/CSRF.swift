import InspectorateCore
import Vapor

extension Request {
    /// The session's anti-forgery token, created the first time a form needs one.
    var csrfToken: String {
        if let token = session.data[SessionKey.csrf] { return token }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<4).map { _ in String(generator.next() as UInt64, radix: 36) }.joined()
        session.data[SessionKey.csrf] = token
        return token
    }
}

/// Every state-changing form must carry the session's token in `_csrf`. API clients use
/// bearer tokens, not cookies, so the API group does not need this.
struct CSRFMiddleware: AsyncMiddleware {
    struct Field: Decodable { var _csrf: String? }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if [.POST, .PUT, .PATCH, .DELETE].contains(req.method) {
            // The body may still be streaming: read it in, up to the route's own limit, so the
            // token can be found among its fields. A body that is not a form has no token.
            _ = try await req.collectBody()
            let sent = (try? req.form(Field.self))?._csrf
            guard let expected = req.session.data[SessionKey.csrf], let sent,
                Data(sent.utf8) == Data(expected.utf8)
            else {
                throw DomainError.forbidden(
                    reason: "This form has expired or did not come from this site. Go back, reload the page and try again.")
            }
        }
        return try await next.respond(to: req)
    }
}
