/// A problem with one named input field: what every form, API body and import reports.
public struct FieldError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Several field problems at once, so a form can list them all in its error summary.
public struct ValidationErrors: Error, Equatable, Sendable {
    public var errors: [FieldError]

    public init(_ errors: [FieldError] = []) { self.errors = errors }

    public var isEmpty: Bool { errors.isEmpty }

    public mutating func add(_ field: String, _ message: String) {
        errors.append(FieldError(field, message))
    }

    /// Throws when any problem was recorded; the first one is the one an API reports.
    public func throwIfAny() throws {
        if !errors.isEmpty { throw self }
    }
}
