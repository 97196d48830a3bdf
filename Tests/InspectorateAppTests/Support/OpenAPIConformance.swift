import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor

@testable import InspectorateApp

/// An answer of the API that the OpenAPI document does not describe.
struct ConformanceViolation: Sendable, Hashable, CustomStringConvertible {
    var method: String
    var path: String
    var status: Int
    /// The document's path template, when the path has one.
    var template: String?
    /// Where in the body (a JSON pointer), or empty for the answer as a whole.
    var pointer: String
    var message: String

    var description: String {
        let place = template.map { $0 == path ? path : "\(path) (\($0))" } ?? path
        return "OpenAPI: \(method) \(place) answered \(status): \(pointer.isEmpty ? "" : "at \(pointer): ")\(message)"
    }
}

/// The API's OpenAPI document, able to say whether an answer is one it describes.
struct OpenAPIConformance: Sendable {
    let document: JSONValue
    let validator: JSONSchemaValidator
    /// Path templates split into segments; `nil` stands for a `{parameter}`.
    private let templates: [(template: String, segments: [String?])]

    init(document: JSONValue) {
        self.document = document
        self.validator = JSONSchemaValidator(root: document)
        self.templates = (document["paths"]?.members?.keys.sorted() ?? []).map { template in
            let segments = template.split(separator: "/").map { part -> String? in
                part.hasPrefix("{") && part.hasSuffix("}") ? nil : String(part)
            }
            return (template, segments)
        }
    }

    /// The document exactly as the application serves it, read once for the whole run.
    static let served: Result<OpenAPIConformance, any Error> = Result {
        OpenAPIConformance(document: try JSONValue.parse(try OpenAPIDocument.load()))
    }

    /// The template a request path falls under: the one with the most fixed segments wins,
    /// so `/frameworks/validate` is not taken for `/frameworks/{code}`.
    func template(for path: String) -> String? {
        let parts = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        return
            templates
            .filter { candidate in
                candidate.segments.count == parts.count && zip(candidate.segments, parts).allSatisfy { $0 == nil || $0 == $1 }
            }
            .max { $0.segments.compactMap { $0 }.count < $1.segments.compactMap { $0 }.count }?
            .template
    }

    /// Every way an answer departs from the document: an undocumented operation or status,
    /// a media type not listed for it, or a JSON body its schema does not accept. `body` is
    /// `nil` when it cannot be read (a stream), and then only the headers are checked.
    func check(
        method: HTTPMethod, path: String, status: HTTPResponseStatus, contentType: HTTPMediaType?, body: Data?
    ) -> [ConformanceViolation] {
        let template = template(for: path)
        var violations: [ConformanceViolation] = []
        func violation(_ message: String, at pointer: String = "") {
            violations.append(
                ConformanceViolation(
                    method: method.rawValue, path: path, status: Int(status.code), template: template, pointer: pointer, message: message))
        }
        let operationName = (method == .HEAD ? "get" : method.rawValue.lowercased())
        let response: JSONValue
        if let template, let operation = document["paths"]?[template]?[operationName] {
            let responses = operation["responses"]?.members ?? [:]
            let key = String(status.code)
            let range = "\(status.code / 100)XX"
            guard let documented = responses[key] ?? responses[range] ?? responses["default"] else {
                violation("the status \(status.code) is not documented for this operation (it has \(responses.keys.sorted()))")
                return violations
            }
            response = documented
        } else if template != nil, status == .methodNotAllowed, let generic = document["components"]?["responses"]?["MethodNotAllowed"] {
            response = generic
        } else if template == nil, status == .notFound, let generic = document["components"]?["responses"]?["NotFound"] {
            response = generic
        } else {
            violation(template == nil ? "no documented path matches" : "\(method.rawValue) is not documented for this path")
            return violations
        }
        guard let resolved = resolve(response) else {
            violation("the document's response \(response) does not resolve")
            return violations
        }
        let content = resolved["content"]?.members ?? [:]
        let bodyIsEmpty = body?.isEmpty ?? false
        if content.isEmpty {
            if !bodyIsEmpty && method != .HEAD { violation("the document describes no body, but there is one") }
            return violations
        }
        guard let contentType else {
            if !bodyIsEmpty { violation("the body has no Content-Type") }
            return violations
        }
        let actual = "\(contentType.type)/\(contentType.subType)".lowercased()
        // An exact media type before a range (`text/*`, `*/*`) that also covers it.
        let ranges = content.keys.sorted { ($0.contains("*") ? 1 : 0, $0) < ($1.contains("*") ? 1 : 0, $1) }
        guard let mediaType = ranges.first(where: { Self.mediaRange($0, covers: actual) }), let entry = content[mediaType] else {
            violation("the Content-Type \(actual) is not one the document lists (\(content.keys.sorted().joined(separator: ", ")))")
            return violations
        }
        let isJSON = contentType.subType.lowercased() == "json" || contentType.subType.lowercased().hasSuffix("+json")
        guard isJSON, method != .HEAD, let body, let schema = entry["schema"] else { return violations }
        let instance: JSONValue
        do {
            instance = try JSONValue.parse(body)
        } catch {
            violation("the body is not JSON, though the answer says \(mediaType)")
            return violations
        }
        for problem in validator.validate(instance, against: schema) {
            violation(problem.message, at: problem.pointer)
        }
        return violations
    }

    /// A response object, following `$ref`s to `#/components/responses/…`.
    private func resolve(_ response: JSONValue, depth: Int = 0) -> JSONValue? {
        guard let reference = response["$ref"]?.string else { return response }
        guard depth < 8, reference.hasPrefix("#"), let target = JSONPointer.resolve(String(reference.dropFirst()), in: document) else {
            return nil
        }
        return resolve(target, depth: depth + 1)
    }

    /// Whether a documented media range (`application/json`, `text/*`, `*/*`) covers a type.
    static func mediaRange(_ range: String, covers actual: String) -> Bool {
        let documented = range.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if documented == "*/*" || documented == actual { return true }
        if documented.hasSuffix("/*") { return actual.hasPrefix(documented.dropLast()) }
        return false
    }
}

/// The violations one application's answers committed, in the order they happened. Owned
/// by the application (its storage), so tests running side by side keep theirs apart.
final class ConformanceRecorder: Sendable {
    private let state = NIOLockedValueBox<(checked: Int, violations: [ConformanceViolation])>((0, []))

    func record(_ violations: [ConformanceViolation]) {
        state.withLockedValue { state in
            state.checked += 1
            state.violations += violations
        }
    }

    /// How many API answers were checked.
    var checked: Int { state.withLockedValue { $0.checked } }

    /// The violations so far, each once, leaving none behind.
    func take() -> [ConformanceViolation] {
        state.withLockedValue { state in
            var seen = Set<ConformanceViolation>()
            let unique = state.violations.filter { seen.insert($0).inserted }
            state.violations = []
            return unique
        }
    }

    /// Fails the running test once for each violation.
    func reportViolations() {
        for violation in take() {
            Issue.record(Comment(rawValue: violation.description))
        }
    }
}

/// Checks every answer under `/api/v1/` against the document. Installed outermost, so it
/// sees what the client sees, the error responder's answers included. A plain (future-based)
/// middleware, like the application's own.
struct OpenAPIConformanceMiddleware: Middleware {
    let conformance: OpenAPIConformance
    let recorder: ConformanceRecorder

    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let path = req.url.path
        guard path.hasPrefix("/api/v1/") else { return next.respond(to: req) }
        let method = req.method
        return next.respond(to: req).always { result in
            switch result {
            case .success(let response):
                // A streamed body (a download) cannot be read here without consuming it.
                let body = response.body.data ?? (response.body.count == 0 ? Data() : nil)
                recorder.record(
                    conformance.check(
                        method: method, path: path, status: response.status, contentType: response.headers.contentType, body: body))
            case .failure(let error):
                recorder.record([
                    ConformanceViolation(
                        method: method.rawValue, path: path, status: 0, template: conformance.template(for: path), pointer: "",
                        message: "no answer: the error \(String(reflecting: error)) escaped every middleware")
                ])
            }
        }
    }
}

extension Application {
    private struct ConformanceKey: StorageKey {
        typealias Value = ConformanceRecorder
    }

    /// What the conformance check found so far, when it is installed.
    var openAPIConformance: ConformanceRecorder? { storage[ConformanceKey.self] }

    /// Puts the conformance check in front of every other middleware. Call after `configure`.
    func checkAnswersAgainstOpenAPI() throws -> ConformanceRecorder {
        let recorder = ConformanceRecorder()
        storage[ConformanceKey.self] = recorder
        middleware.use(OpenAPIConformanceMiddleware(conformance: try OpenAPIConformance.served.get(), recorder: recorder), at: .beginning)
        return recorder
    }
}
