import Vapor

/// Echoes the request id so that a user reporting a problem can quote it, and an
/// operator can find every log line of that request.
struct RequestIDMiddleware: Middleware {
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: req).map { response in
            response.headers.replaceOrAdd(name: .xRequestId, value: req.requestID)
            return response
        }
    }
}

extension Request {
    /// The id the audit trail and the answer carry. A proxy's `X-Request-Id` is kept when it
    /// has the shape a proxy gives (nginx's `$request_id`: 32 hex digits, or a UUID);
    /// anything else a client sends (`cli-spoofed`, a 900 KB string) is replaced by a fresh
    /// UUID, so the trail never holds an id a client chose to look like another source's.
    var requestID: String {
        if let known = storage[RequestIDKey.self] { return known }
        let given = headers.first(name: .xRequestId) ?? ""
        let id = Self.isProxyRequestID(given) ? given : UUID().uuidString.lowercased()
        storage[RequestIDKey.self] = id
        return id
    }

    static func isProxyRequestID(_ text: String) -> Bool {
        if UUID(uuidString: text) != nil { return true }
        return text.utf8.count == 32 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    private struct RequestIDKey: StorageKey { typealias Value = String }
}
