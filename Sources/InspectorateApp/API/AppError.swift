import Vapor
import Fluent
import InspectorateCore

/// An error a user can act on. Pages show it in an error summary; the API returns it as
/// `{"error": {"code", "message", "field"}}` with its status.
struct AppError: Error, Sendable {
    var status: HTTPResponseStatus
    var code: String
    var message: String
    var field: String?
    /// For a stale write: the record as it is now, so the client can merge and retry.
    var current: (any Encodable & Sendable)?
    /// Every problem, where one input has several (a framework document, an import file).
    var problems: [String]?

    /// Deliberately the same words whether the thing is absent or hidden from this user.
    static func notFound(_ what: String) -> AppError {
        AppError(status: .notFound, code: "not_found", message: "No \(what) was found with that identifier")
    }

    static func conflict(field: String?, _ message: String) -> AppError {
        AppError(status: .conflict, code: "conflict", message: message, field: field)
    }

    static func stale(current: any Encodable & Sendable) -> AppError {
        AppError(status: .conflict, code: "stale_version",
                 message: "Someone else changed this record after you loaded it. Review the current version and apply your change again.",
                 field: "version", current: current)
    }

    static func invalid(_ field: String, _ message: String) -> AppError {
        AppError(status: .unprocessableEntity, code: "invalid", message: message, field: field)
    }

    static func forbidden(_ message: String = "You do not have permission to do that") -> AppError {
        AppError(status: .forbidden, code: "forbidden", message: message)
    }

    static let unauthenticated = AppError(status: .unauthorized, code: "unauthenticated", message: "Sign in, or send a valid API token as 'Authorization: Bearer …'")
}

extension AppError {
    /// The shape every error takes, whatever raised it.
    init(from error: any Error) {
        switch error {
        case let error as AppError:
            self = error
        case let error as FieldError:
            self = .invalid(error.field, error.message)
        case let errors as ValidationErrors:
            let first = errors.errors.first ?? FieldError("body", "is invalid")
            self = .invalid(first.field, first.message)
        case let error as FrameworkInvalid:
            self = AppError(status: .unprocessableEntity, code: "invalid_framework", message: error.description,
                            field: error.problems.first?.path, problems: error.problems.map(\.description))
        case let error as JudgementImportPlanner.Invalid:
            self = AppError(status: .unprocessableEntity, code: "invalid_file", message: error.description,
                            field: error.problems.first?.line.map { "line \($0)" }, problems: error.problems.map(\.description))
        case let error as ImportError:
            self = AppError(status: .unprocessableEntity, code: "invalid_file", message: error.description, field: error.column)
        case let error as any DatabaseError where error.isConstraintFailure:
            // Two writers raced past the friendly duplicate check; say so without detail
            // that could reveal records this user cannot see.
            self = .conflict(field: nil, "That conflicts with a record that already exists")
        case let error as any AbortError where error.status.code < 500:
            self = AppError(status: error.status, code: Self.code(for: error.status), message: error.reason)
        default:
            self = AppError(status: .internalServerError, code: "internal", message: "Something went wrong on our side. It has been logged.")
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
        case .tooManyRequests: "too_many_requests"
        default: status.code >= 500 ? "internal" : "error"
        }
    }
}
