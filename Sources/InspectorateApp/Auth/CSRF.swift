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
            // A large upload may still be streaming; read it in (up to the upload limit) so
            // the token can be found among its parts.
            if req.body.data == nil {
                let limit = (req.application.settings.maximumUploadMB + 1) * 1_048_576
                _ = try await req.body.collect(max: limit).get()
            }
            let sent = (try? req.content.decode(Field.self))?._csrf
            guard let expected = req.session.data[SessionKey.csrf], let sent,
                  Data(sent.utf8) == Data(expected.utf8) else {
                throw AppError(status: .forbidden, code: "csrf",
                               message: "This form has expired or did not come from this site. Go back, reload the page and try again.")
            }
        }
        return try await next.respond(to: req)
    }
}
