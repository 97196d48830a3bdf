import Vapor

/// An API request body. Fields the type does not declare are refused rather than ignored,
/// so a misspelt field name is an error the client sees, not a silent no-op.
protocol StrictBody: Decodable, Sendable {
    associatedtype Keys: CodingKey & CaseIterable
}

extension Request {
    func strictBody<T: StrictBody>(_ type: T.Type) throws -> T {
        guard let contentType = headers.contentType, contentType.type == "application", contentType.subType == "json" else {
            throw AppError(status: .unsupportedMediaType, code: "unsupported_media_type", message: "Send the body as JSON with 'Content-Type: application/json'")
        }
        guard let buffer = body.data, buffer.readableBytes > 0 else {
            throw AppError(status: .badRequest, code: "malformed_json", message: "The request body is empty; send a JSON object")
        }
        let data = Data(buffer.readableBytesView)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw AppError(status: .badRequest, code: "malformed_json", message: "The request body is not valid JSON")
        }
        guard let fields = object as? [String: Any] else {
            throw AppError(status: .badRequest, code: "malformed_json", message: "The request body must be a JSON object")
        }
        let known = Set(T.Keys.allCases.map(\.stringValue))
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw AppError.invalid(unknown, "Unknown field '\(unknown)'; allowed fields are \(known.sorted().joined(separator: ", "))")
        }
        do {
            return try JSONDecoder.api.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw AppError(decoding: error)
        }
    }
}

extension JSONDecoder {
    static let api: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = APIDate.parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be a date like 2026-03-31 or 2026-03-31T12:00:00Z")
        }
        return decoder
    }()
}

enum APIDate {
    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day())
    }
}

extension AppError {
    init(decoding error: DecodingError) {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self = .invalid(path(context.codingPath, key), "'\(path(context.codingPath, key))' is required")
        case .valueNotFound(let type, let context):
            self = .invalid(path(context.codingPath), "'\(path(context.codingPath))' must not be null (expected \(Self.describe(type)))")
        case .typeMismatch(let type, let context):
            self = .invalid(path(context.codingPath), "'\(path(context.codingPath))' must be \(Self.describe(type))")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            self = .invalid(field.isEmpty ? "body" : field, "'\(field)' is not valid: \(context.debugDescription)")
        @unknown default:
            self = .invalid("body", "The request body is not valid")
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
