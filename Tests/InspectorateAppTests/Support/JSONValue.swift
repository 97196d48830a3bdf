import Foundation

/// A JSON value as the conformance check reads it. Decoded with `JSONDecoder` rather than
/// `JSONSerialization`, because on Linux the latter hands back `NSNumber` for both `true`
/// and `1`, and a schema check must tell a boolean from a number, and an integer from 1.5.
enum JSONValue: Sendable, Equatable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    static func parse(_ text: String) throws -> JSONValue {
        try parse(Data(text.utf8))
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var members: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var elements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The value as a number, for integers and numbers alike.
    var double: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// The JSON Schema type names this value has: an integer is also a number, and 2.0 an integer.
    var typeNames: Set<String> {
        switch self {
        case .null: ["null"]
        case .bool: ["boolean"]
        case .integer: ["integer", "number"]
        case .number(let value): value.rounded() == value && value.isFinite ? ["integer", "number"] : ["number"]
        case .string: ["string"]
        case .array: ["array"]
        case .object: ["object"]
        }
    }

    /// Equality as JSON Schema means it for `enum` and `const`: 1 and 1.0 are the same.
    func sameValue(as other: JSONValue) -> Bool {
        switch (self, other) {
        case (.integer, .number), (.number, .integer): double == other.double
        case (.array(let left), .array(let right)):
            left.count == right.count && zip(left, right).allSatisfy { $0.sameValue(as: $1) }
        case (.object(let left), .object(let right)):
            Set(left.keys) == Set(right.keys) && left.allSatisfy { key, value in right[key].map(value.sameValue) ?? false }
        default: self == other
        }
    }

    /// Short, for messages: strings quoted, containers summarised.
    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): value.count > 60 ? "\"\(value.prefix(57))…\"" : "\"\(value)\""
        case .array(let elements): "an array of \(elements.count)"
        case .object(let members): "an object with keys \(members.keys.sorted())"
        }
    }
}

/// RFC 6901 JSON pointers, built while walking an instance or resolving `$ref`.
enum JSONPointer {
    static func appending(_ pointer: String, _ token: String) -> String {
        pointer + "/" + token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static func appending(_ pointer: String, _ index: Int) -> String { pointer + "/\(index)" }

    /// The value at `pointer` (without the leading `#`) inside `root`.
    static func resolve(_ pointer: String, in root: JSONValue) -> JSONValue? {
        guard !pointer.isEmpty else { return root }
        guard pointer.hasPrefix("/") else { return nil }
        var value = root
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = String(raw).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            let decoded = token.removingPercentEncoding ?? token
            switch value {
            case .object(let members):
                guard let next = members[decoded] else { return nil }
                value = next
            case .array(let elements):
                guard let index = Int(decoded), elements.indices.contains(index) else { return nil }
                value = elements[index]
            default:
                return nil
            }
        }
        return value
    }
}
