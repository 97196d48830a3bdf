import Fluent
import InspectorateCore
import Vapor

/// An error as the HTTP edge answers it: a status, a stable code, a message, the field it
/// concerns. Thrown only by edge code about the request's shape (an unreadable body, the
/// wrong media type); everything a service throws is a domain error, mapped to one of
/// these by `init(from:)`, the one place that decides statuses.
struct HTTPProblem: Error, Sendable {
    var status: HTTPResponseStatus
    var code: String
    var message: String
    var field: String?
    /// Every problem, where one input has several (a framework document, an import file).
    var problems: [String]?
    /// For a stale write: the record as this reader may see it now.
    var current: (any Encodable & Sendable)?

    static func unsupportedMediaType(_ message: String) -> HTTPProblem {
        HTTPProblem(status: .unsupportedMediaType, code: "unsupported_media_type", message: message)
    }

    static func malformed(_ message: String) -> HTTPProblem {
        HTTPProblem(status: .badRequest, code: "malformed_body", message: message)
    }
}

/// A stale record the HTTP edge can show: the same representation a read gives this reader.
protocol StalePresentable: StaleRecord {
    func presentation(for reader: Reader?, at now: Date) -> any Encodable & Sendable
}

extension HTTPProblem {
    /// The one mapping from what went wrong to what HTTP says. Unknown errors are 500 with
    /// nothing of their detail in the answer.
    init(from error: any Error, reader: Reader?, at now: Date = Date(timeIntervalSince1970: 0)) {
        switch error {
        case let problem as HTTPProblem:
            self = problem
        case let error as DomainError:
            self = Self.map(error, reader: reader, at: now)
        case let error as FieldError:
            self = HTTPProblem(status: .unprocessableEntity, code: "invalid", message: error.message, field: error.field)
        case let errors as ValidationErrors:
            let first = errors.errors.first ?? FieldError("body", "is invalid")
            self = HTTPProblem(
                status: .unprocessableEntity, code: "invalid", message: first.message, field: first.field,
                problems: errors.errors.count > 1 ? errors.errors.map(\.description) : nil)
        case let error as FrameworkInvalid:
            self = HTTPProblem(
                status: .unprocessableEntity, code: "invalid_framework", message: error.description,
                field: error.problems.first?.path, problems: error.problems.map(\.description))
        case let error as FileInvalid:
            self = HTTPProblem(
                status: .unprocessableEntity, code: "invalid_file", message: error.description,
                field: error.problems.first?.line.map { "line \($0)" }, problems: error.problems.map(\.description))
        case let error as ImportError:
            self = HTTPProblem(status: .unprocessableEntity, code: "invalid_file", message: error.description, field: error.column)
        case let error as DecodingError:
            self = HTTPProblem(decoding: error)
        case let error as any DatabaseError where error.isConstraintFailure:
            // Two writers raced past the friendly duplicate check; say so without detail
            // that could reveal records this user cannot see.
            self = HTTPProblem(status: .conflict, code: "conflict", message: "That conflicts with a record that already exists")
        case let error as any AbortError where error.status.code < 500:
            self = HTTPProblem(status: error.status, code: Self.code(for: error.status), message: error.reason)
        default:
            self = HTTPProblem(
                status: .internalServerError, code: "internal", message: "Something went wrong on our side. It has been logged.")
        }
    }

    private static func map(_ error: DomainError, reader: Reader?, at now: Date) -> HTTPProblem {
        switch error {
        case .notFound:
            return HTTPProblem(status: .notFound, code: "not_found", message: error.description)
        case .forbidden(let reason, let field):
            return HTTPProblem(status: .forbidden, code: "forbidden", message: reason, field: field)
        case .conflict(let field, let message):
            return HTTPProblem(status: .conflict, code: "conflict", message: message, field: field)
        case .stale(let current):
            return HTTPProblem(
                status: .conflict, code: "stale_version",
                message: "Someone else changed this record after you loaded it. Review the current version and apply your change again.",
                field: "version", current: (current as? any StalePresentable)?.presentation(for: reader, at: now))
        case .refused(let field, let message, let needed):
            return HTTPProblem(status: .conflict, code: "refused", message: message, field: field, problems: needed.isEmpty ? nil : needed)
        case .incomplete(let field, let message, let missing):
            return HTTPProblem(status: .unprocessableEntity, code: "incomplete", message: message, field: field, problems: missing)
        case .throttled(let message):
            return HTTPProblem(status: .tooManyRequests, code: "too_many_attempts", message: message)
        case .unauthenticated(let message):
            return HTTPProblem(status: .unauthorized, code: "unauthenticated", message: message)
        case .unavailable:
            return HTTPProblem(
                status: .serviceUnavailable, code: "unavailable", message: "The service cannot do that at the moment. It has been logged.")
        }
    }

    static func code(for status: HTTPResponseStatus) -> String {
        switch status {
        case .badRequest: "bad_request"
        case .unauthorized: "unauthenticated"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .conflict: "conflict"
        case .payloadTooLarge: "payload_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        case .unprocessableEntity: "invalid"
        case .tooManyRequests: "too_many_attempts"
        default: status.code >= 500 ? "internal" : "error"
        }
    }

    /// A JSON body that does not decode as the type wanted, naming the field.
    init(decoding error: DecodingError) {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        func invalid(_ field: String, _ message: String) -> HTTPProblem {
            HTTPProblem(status: .unprocessableEntity, code: "invalid", message: message, field: field)
        }
        switch error {
        case .keyNotFound(let key, let context):
            self = invalid(path(context.codingPath, key), "'\(path(context.codingPath, key))' is required")
        case .valueNotFound(let type, let context):
            self = invalid(path(context.codingPath), "'\(path(context.codingPath))' must not be null (expected \(Self.describe(type)))")
        case .typeMismatch(let type, let context):
            self = invalid(path(context.codingPath), "'\(path(context.codingPath))' must be \(Self.describe(type))")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            self =
                field.isEmpty
                ? invalid("body", "The request body could not be read: \(context.debugDescription)")
                : invalid(field, "'\(field)' is not valid: \(context.debugDescription)")
        @unknown default:
            self = invalid("body", "The request body is not valid")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default: "a value of the right type"
        }
    }
}
