import Vapor
import Leaf

/// Turns every error into the answer its audience expects: JSON `{"error": …}` under
/// `/api`, a page everywhere else. Nothing leaves as a bare 500 with internals in it.
/// A plain (future-based) middleware: it wraps every request, and an async one would cost
/// each a task and a hop off the event loop even when nothing goes wrong.
struct ErrorResponder: Middleware {
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: req).flatMapError { error in
            req.eventLoop.makeFutureWithTask { try await answer(error, to: req) }
        }
    }

    private func answer(_ error: any Error, to req: Request) async throws -> Response {
        var appError = AppError(from: error)
        var allowed: [HTTPMethod] = []
        if error is RouteNotFound {
            allowed = MethodsForPath.allowed(for: req)
            if !allowed.isEmpty {
                appError = AppError(status: .methodNotAllowed, code: "method_not_allowed",
                                    message: "\(req.method) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if appError.status.code >= 500 {
            req.logger.report(error: error)
        }
        let response = req.url.path.hasPrefix("/api/") ? try json(appError, for: req) : try await page(appError, for: req)
        if !allowed.isEmpty {
            response.headers.replaceOrAdd(name: .allow, value: allowed.map(\.rawValue).joined(separator: ", "))
        }
        return response
    }

    struct Envelope: Encodable {
        struct Body: Encodable {
            var code: String
            var message: String
            var field: String?
            var current: AnyEncodable?
            var problems: [String]?
        }
        var error: Body
    }

    struct AnyEncodable: Encodable {
        let value: any Encodable
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
    }

    private func json(_ error: AppError, for req: Request) throws -> Response {
        let body = Envelope(error: .init(code: error.code, message: error.message, field: error.field,
                                         current: error.current.map(AnyEncodable.init), problems: error.problems))
        let response = Response(status: error.status)
        try response.content.encode(body, using: JSONEncoder.api)
        if error.status == .unauthorized {
            response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
        }
        return response
    }

    private func page(_ error: AppError, for req: Request) async throws -> Response {
        if error.status == .unauthorized && req.method == .GET {
            let next = req.url.path + (req.url.query.map { "?\($0)" } ?? "")
            return req.redirect(to: "/sign-in?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")")
        }
        let title: String
        switch error.status {
        case .notFound: title = "Page not found"
        case .forbidden: title = "You cannot do that"
        case .unauthorized: title = "Sign in to continue"
        case .tooManyRequests: title = "Too many attempts"
        case .payloadTooLarge: title = "That file or form is too large"
        default: title = error.status.code >= 500 ? "Sorry, there is a problem with the service" : "There is a problem"
        }
        let context = ErrorPage(page: .init(title: title, req: req, forms: false), status: Int(error.status.code), message: error.message, requestID: req.id)
        let response = try await req.view.render("error", context).encodeResponse(for: req)
        response.status = error.status
        return response
    }

    struct ErrorPage: Encodable {
        var page: PageContext
        var status: Int
        var message: String
        var requestID: String
    }
}

extension JSONEncoder {
    static let api: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}

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
