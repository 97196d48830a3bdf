import Foundation

/// One way a value fails its schema: where in the value (a JSON pointer) and what is wrong.
struct SchemaProblem: Sendable, Equatable, CustomStringConvertible {
    var pointer: String
    var message: String

    var description: String { "\(pointer.isEmpty ? "/" : pointer): \(message)" }
}

/// A JSON Schema (2020-12, as OpenAPI 3.1 uses it) validator for the keywords the API's
/// document uses. A keyword it does not know is itself reported, so a schema is never
/// passed by ignoring part of it.
///
/// Stricter than JSON Schema on purpose: an object schema with `properties` and no
/// `additionalProperties` is closed. Every member the value has must be described by
/// `properties` of that schema, or of a schema it combines with through `allOf` or `$ref`
/// (as `unevaluatedProperties: false` would). `additionalProperties: true`, or a schema,
/// opens it. `anyOf` and `oneOf` alternatives are each closed on their own.
struct JSONSchemaValidator: Sendable {
    /// The document `$ref`s point into.
    let root: JSONValue

    /// Keywords that describe but do not constrain.
    static let annotations: Set<String> = [
        "$comment", "$schema", "$id", "title", "description", "example", "examples", "default", "deprecated", "readOnly",
        "writeOnly", "contentMediaType", "contentEncoding", "externalDocs", "xml", "discriminator",
    ]

    /// Keywords checked here (annotations aside).
    static let assertions: Set<String> = [
        "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "items", "prefixItems",
        "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "allOf", "anyOf", "oneOf", "not", "format",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern",
    ]

    func validate(_ instance: JSONValue, against schema: JSONValue, at pointer: String = "") -> [SchemaProblem] {
        evaluate(instance, schema, pointer, closeHere: true, depth: 0).problems
    }

    /// What evaluating one schema at one place found, and what it learnt about the object
    /// there, so that `allOf` and `$ref` can close an object over all their parts at once.
    private struct Outcome {
        var problems: [SchemaProblem] = []
        /// Members some `properties` or `additionalProperties` of the schema accounted for.
        var described: Set<String> = []
        /// Whether some part of the schema declares `properties` and leaves the object closed.
        var closed = false

        mutating func merge(_ other: Outcome) {
            problems += other.problems
            described.formUnion(other.described)
            closed = closed || other.closed
        }
    }

    private func evaluate(_ instance: JSONValue, _ schema: JSONValue, _ pointer: String, closeHere: Bool, depth: Int) -> Outcome {
        var outcome = Outcome()
        func fail(_ message: String, at place: String? = nil) {
            outcome.problems.append(SchemaProblem(pointer: place ?? pointer, message: message))
        }
        guard depth < 64 else {
            fail("the schema nests too deeply (a $ref cycle?)")
            return outcome
        }
        switch schema {
        case .bool(true): return outcome
        case .bool(false):
            fail("no value is allowed here")
            return outcome
        case .object: break
        default:
            fail("the document has \(schema) where a schema should be")
            return outcome
        }
        let keywords = schema.members ?? [:]
        for key in keywords.keys.sorted() where !Self.annotations.contains(key) && !Self.assertions.contains(key) {
            fail("the validator does not know the schema keyword '\(key)'")
        }

        if let reference = keywords["$ref"] {
            if let target = reference.string, target.hasPrefix("#"),
                let resolved = JSONPointer.resolve(String(target.dropFirst()), in: root)
            {
                outcome.merge(evaluate(instance, resolved, pointer, closeHere: false, depth: depth + 1))
            } else {
                fail("the document's $ref \(reference) does not resolve")
            }
        }
        if let types = keywords["type"] {
            let allowed = types.elements?.compactMap(\.string) ?? types.string.map { [$0] } ?? []
            if instance.typeNames.isDisjoint(with: allowed) {
                fail("expected \(allowed.joined(separator: " or ")), got \(instance)")
                return outcome  // the rest would only repeat the mismatch
            }
        }
        if let options = keywords["enum"]?.elements, !options.contains(where: instance.sameValue) {
            fail("\(instance) is not one of \(options.map(\.description).joined(separator: ", "))")
        }
        if let constant = keywords["const"], !instance.sameValue(as: constant) {
            fail("\(instance) is not \(constant)")
        }

        for part in keywords["allOf"]?.elements ?? [] {
            outcome.merge(evaluate(instance, part, pointer, closeHere: false, depth: depth + 1))
        }
        if let alternatives = keywords["anyOf"]?.elements {
            let outcomes = alternatives.map { evaluate(instance, $0, pointer, closeHere: true, depth: depth + 1) }
            let matching = outcomes.filter(\.problems.isEmpty)
            if matching.isEmpty {
                fail("matches none of the anyOf alternatives: " + Self.summary(outcomes))
            }
            matching.forEach { outcome.merge($0) }
        }
        if let alternatives = keywords["oneOf"]?.elements {
            let outcomes = alternatives.map { evaluate(instance, $0, pointer, closeHere: true, depth: depth + 1) }
            let matching = outcomes.filter(\.problems.isEmpty)
            if matching.count != 1 {
                fail(
                    matching.isEmpty
                        ? "matches none of the oneOf alternatives: " + Self.summary(outcomes)
                        : "matches \(matching.count) of the oneOf alternatives; exactly one must match")
            }
            matching.forEach { outcome.merge($0) }
        }
        if let negated = keywords["not"], evaluate(instance, negated, pointer, closeHere: true, depth: depth + 1).problems.isEmpty {
            fail("matches a schema it must not match")
        }

        switch instance {
        case .object(let members): checkObject(members, keywords, pointer, depth, &outcome)
        case .array(let elements): checkArray(elements, keywords, pointer, depth, &outcome)
        case .string(let text): outcome.problems += Self.checkString(text, keywords, pointer)
        case .integer, .number: outcome.problems += Self.checkNumber(instance.double ?? 0, keywords, pointer)
        default: break
        }

        if closeHere, outcome.closed, let members = instance.members {
            for key in members.keys.sorted() where !outcome.described.contains(key) {
                fail("the document does not describe the property '\(key)'", at: JSONPointer.appending(pointer, key))
            }
        }
        return outcome
    }

    private func checkObject(
        _ members: [String: JSONValue], _ keywords: [String: JSONValue], _ pointer: String, _ depth: Int, _ outcome: inout Outcome
    ) {
        for name in keywords["required"]?.elements?.compactMap(\.string) ?? [] where members[name] == nil {
            outcome.problems.append(SchemaProblem(pointer: pointer, message: "the required property '\(name)' is missing"))
        }
        let properties = keywords["properties"]?.members ?? [:]
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            // A member's own outcome is about another place: only its problems count here.
            if let schema = properties[name] {
                outcome.problems +=
                    evaluate(value, schema, JSONPointer.appending(pointer, name), closeHere: true, depth: depth + 1).problems
            } else if let additional = keywords["additionalProperties"] {
                if additional == .bool(false) {
                    outcome.problems.append(
                        SchemaProblem(
                            pointer: JSONPointer.appending(pointer, name), message: "the property '\(name)' is not allowed"))
                } else {
                    let place = JSONPointer.appending(pointer, name)
                    outcome.problems += evaluate(value, additional, place, closeHere: true, depth: depth + 1).problems
                }
            }
        }
        outcome.described.formUnion(properties.keys)
        if keywords["additionalProperties"] != nil {
            outcome.described.formUnion(members.keys)
        } else if keywords["properties"] != nil {
            outcome.closed = true
        }
        if let least = keywords["minProperties"]?.double, Double(members.count) < least {
            outcome.problems.append(SchemaProblem(pointer: pointer, message: "has \(members.count) properties, fewer than \(least)"))
        }
        if let most = keywords["maxProperties"]?.double, Double(members.count) > most {
            outcome.problems.append(SchemaProblem(pointer: pointer, message: "has \(members.count) properties, more than \(most)"))
        }
    }

    private func checkArray(
        _ elements: [JSONValue], _ keywords: [String: JSONValue], _ pointer: String, _ depth: Int, _ outcome: inout Outcome
    ) {
        let prefix = keywords["prefixItems"]?.elements ?? []
        for (index, element) in elements.enumerated() {
            let schema = index < prefix.count ? prefix[index] : keywords["items"]
            guard let schema else { continue }
            let place = JSONPointer.appending(pointer, index)
            outcome.problems += evaluate(element, schema, place, closeHere: true, depth: depth + 1).problems
        }
        if let least = keywords["minItems"]?.double, Double(elements.count) < least {
            outcome.problems.append(SchemaProblem(pointer: pointer, message: "has \(elements.count) items, fewer than \(least)"))
        }
        if let most = keywords["maxItems"]?.double, Double(elements.count) > most {
            outcome.problems.append(SchemaProblem(pointer: pointer, message: "has \(elements.count) items, more than \(most)"))
        }
        if keywords["uniqueItems"] == .bool(true) {
            for (index, element) in elements.enumerated() where elements[..<index].contains(where: element.sameValue) {
                outcome.problems.append(SchemaProblem(pointer: JSONPointer.appending(pointer, index), message: "repeats an earlier item"))
            }
        }
    }

    private static func checkString(_ text: String, _ keywords: [String: JSONValue], _ pointer: String) -> [SchemaProblem] {
        var problems: [SchemaProblem] = []
        let length = text.unicodeScalars.count
        if let least = keywords["minLength"]?.double, Double(length) < least {
            problems.append(SchemaProblem(pointer: pointer, message: "is \(length) characters long, shorter than \(Int(least))"))
        }
        if let most = keywords["maxLength"]?.double, Double(length) > most {
            problems.append(SchemaProblem(pointer: pointer, message: "is \(length) characters long, longer than \(Int(most))"))
        }
        if let pattern = keywords["pattern"]?.string {
            if let expression = try? NSRegularExpression(pattern: pattern) {
                let range = NSRange(text.startIndex..., in: text)
                if expression.firstMatch(in: text, range: range) == nil {
                    problems.append(SchemaProblem(pointer: pointer, message: "\(JSONValue.string(text)) does not match \(pattern)"))
                }
            } else {
                problems.append(SchemaProblem(pointer: pointer, message: "the document's pattern \(pattern) does not compile"))
            }
        }
        if let format = keywords["format"]?.string, let valid = Formats.check[format], !valid(text) {
            problems.append(SchemaProblem(pointer: pointer, message: "\(JSONValue.string(text)) is not a valid \(format)"))
        }
        return problems
    }

    private static func checkNumber(_ value: Double, _ keywords: [String: JSONValue], _ pointer: String) -> [SchemaProblem] {
        var problems: [SchemaProblem] = []
        func check(_ keyword: String, _ holds: (Double, Double) -> Bool, _ words: String) {
            if let bound = keywords[keyword]?.double, !holds(value, bound) {
                problems.append(SchemaProblem(pointer: pointer, message: "\(value) is not \(words) \(bound)"))
            }
        }
        check("minimum", >=, "at least")
        check("maximum", <=, "at most")
        check("exclusiveMinimum", >, "more than")
        check("exclusiveMaximum", <, "less than")
        check("multipleOf", { value, step in step > 0 && (value / step).rounded() == value / step }, "a multiple of")
        return problems
    }

    private static func summary(_ outcomes: [Outcome]) -> String {
        outcomes.enumerated().map { index, outcome in
            "[\(index)] " + (outcome.problems.first.map(\.description) ?? "matches")
        }.joined(separator: "; ")
    }
}

/// The string formats checked; any other `format` (binary, email in answers, …) only describes.
enum Formats {
    static let check: [String: @Sendable (String) -> Bool] = [
        "date-time": isDateTime, "date": isDate, "uuid": { UUID(uuidString: $0) != nil },
        "email": { $0.range(of: #"^[^@\s]+@[^@\s]+$"#, options: .regularExpression) != nil },
    ]

    /// RFC 3339 `full-date`, with a day that exists.
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), day >= 1
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// RFC 3339 `date-time`: a date, `T`, a time with optional fraction, and `Z` or an offset.
    static func isDateTime(_ text: String) -> Bool {
        let pattern = #"^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$"#
        guard let expression = try? NSRegularExpression(pattern: pattern),
            let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return false }
        func group(_ index: Int) -> Int? {
            Range(match.range(at: index), in: text).flatMap { Int(text[$0]) }
        }
        guard let dateRange = Range(match.range(at: 1), in: text), isDate(String(text[dateRange])),
            let hour = group(2), let minute = group(3), let second = group(4), hour < 24, minute < 60, second <= 60
        else { return false }
        if let offsetHours = group(7), let offsetMinutes = group(8) { return offsetHours < 24 && offsetMinutes < 60 }
        return true
    }
}
