import Vapor

/// One line per request: method, route, status and time taken, with the request id that
/// Vapor attaches to the request's logger. Like every middleware that wraps all requests,
/// a plain one: an async middleware costs each request a task and a hop off the event loop.
struct AccessLogMiddleware: Middleware {
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let started = DispatchTime.now().uptimeNanoseconds
        return next.respond(to: req).map { response in
            let micros = (DispatchTime.now().uptimeNanoseconds - started) / 1000
            req.logger.info("\(req.method) \(req.url.path) \(response.status.code)", metadata: ["duration_us": "\(micros)"])
            return response
        }
    }
}
