import InspectorateCore
import Leaf
import Vapor

/// Turns every error into the answer its audience expects: JSON `{"error": …}` for the API
/// (`APIURL`), a page everywhere else. Nothing leaves as a bare 500 with internals in it.
/// A plain (future-based) middleware: it wraps every request, and an async one would cost
/// each a task and a hop off the event loop even when nothing goes wrong.
struct ErrorResponder: Middleware {
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: req).flatMapError { error in
            req.eventLoop.makeFutureWithTask { try await answer(error, to: req) }
        }
    }

    private func answer(_ error: any Error, to req: Request) async throws -> Response {
        // Only a stale write shows a record, and only as this reader may see it.
        let reader: Reader? = if case .stale = error as? DomainError, req.auth.has(User.self) { try? await req.reader() } else { nil }
        var problem = HTTPProblem(from: error, reader: reader, at: req.now)
        var allowed: [HTTPMethod] = []
        if error is RouteNotFound {
            allowed = MethodsForPath.allowed(for: req)
            if !allowed.isEmpty {
                problem = HTTPProblem(
                    status: .methodNotAllowed, code: "method_not_allowed",
                    message: "\(req.method) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if problem.status.code >= 500 {
            req.logger.report(error: error)
        }
        // Every denied access by a signed-in person is in the trail, once: a refusal a service
        // already recorded is not recorded again. A hidden record and a missing one are
        // recorded alike, so the trail (and the time taken) does not tell them apart.
        if problem.status == .notFound || problem.status == .forbidden, req.auth.has(User.self), !req.trail.deniedRecorded {
            try await Audit.record(
                AuditEvent(
                    action: "access", recordType: "route", recordID: "\(req.method) \(req.url.path)", outcome: .denied,
                    detail: problem.message),
                caller: req.caller, on: req.db)
        }
        let response = APIURL.contains(path: req.url.path) ? try json(problem, for: req) : try await page(problem, for: req)
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

    private func json(_ problem: HTTPProblem, for req: Request) throws -> Response {
        let body = Envelope(
            error: .init(
                code: problem.code, message: problem.message, field: problem.field,
                current: problem.current.map(AnyEncodable.init), problems: problem.problems))
        let response = Response(status: problem.status)
        try response.content.encode(body, using: JSONEncoder.api)
        if problem.status == .unauthorized {
            response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
        }
        return response
    }

    private func page(_ problem: HTTPProblem, for req: Request) async throws -> Response {
        if problem.status == .unauthorized && req.method == .GET {
            let next = req.url.path + (req.url.query.map { "?\($0)" } ?? "")
            return req.redirect(to: SiteURL.signIn.path(query: [("next", next)]))
        }
        let title: String
        switch problem.status {
        case .notFound: title = "Page not found"
        case .forbidden: title = "You cannot do that"
        case .unauthorized: title = "Sign in to continue"
        case .tooManyRequests: title = "Too many attempts"
        case .payloadTooLarge: title = "That file or form is too large"
        default: title = problem.status.code >= 500 ? "Sorry, there is a problem with the service" : "There is a problem"
        }
        let context = ErrorPage(
            page: .init(title: title, req: req, forms: false), status: Int(problem.status.code), message: problem.message,
            requestID: req.requestID
        )
        let response = try await req.view.render("error", context).encodeResponse(for: req)
        response.status = problem.status
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
    /// How the API writes JSON: ISO 8601 instants, keys sorted.
    static let api: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}
