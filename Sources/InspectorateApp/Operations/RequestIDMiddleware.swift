import Vapor

/// Echoes the request id so that a user reporting a problem can quote it, and an
/// operator can find every log line of that request.
struct RequestIDMiddleware: Middleware {
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: req).map { response in
            response.headers.replaceOrAdd(name: .xRequestId, value: req.id)
            return response
        }
    }
}
