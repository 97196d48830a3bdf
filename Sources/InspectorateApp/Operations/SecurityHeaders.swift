import Vapor

/// The headers every answer carries, set in one place for pages, the API, files and errors:
///
/// - `Content-Security-Policy`: scripts, styles, images and forms only from this site (there
///   are no inline scripts or styles), and no framing (`frame-ancestors 'none'`, with
///   `X-Frame-Options: DENY` for older browsers);
/// - `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`;
/// - `Strict-Transport-Security` when the request came over TLS (directly or, behind the
///   proxy, `X-Forwarded-Proto: https`);
/// - `Cache-Control: no-store` on everything but the stylesheet and icon: pages and JSON may
///   hold marked content, a new token or a generated password, and must not be kept by a
///   browser or a shared cache. Downloads already say `no-store` themselves.
struct SecurityHeaders: Middleware {
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        + "form-action 'self'; frame-ancestors 'none'"

    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: req).map { response in
            let headers = [
                ("Content-Security-Policy", Self.contentSecurityPolicy), ("X-Frame-Options", "DENY"),
                ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
            ]
            for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
            if req.url.scheme == "https" || req.headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https" {
                response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
            }
            if !Self.isStaticAsset(req.url.path) && !response.headers.contains(name: .cacheControl) {
                response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            }
            return response
        }
    }

    /// The stylesheet and icons: the same for everyone, so they may be cached.
    static func isStaticAsset(_ path: String) -> Bool {
        path.hasPrefix("/css/") || path == "/favicon.ico" || path.hasPrefix("/images/")
    }
}
