import InspectorateCore
import Vapor

extension Request {
    /// A path parameter of the matched route. The route's shape guarantees it is there; a
    /// value that does not read as `T` (a malformed id) is "not found", like any unknown record.
    func parameter<T: LosslessStringConvertible>(_ name: String, as type: T.Type = String.self, naming what: String = "page") throws -> T {
        guard let text = parameters.get(name), let value = T(text) else { throw DomainError.notFound(what) }
        return value
    }

    /// A UUID path parameter; malformed ids are "not found".
    func parameter(_ name: String, as type: UUID.Type, naming what: String = "page") throws -> UUID {
        guard let text = parameters.get(name), let value = UUID(uuidString: text) else { throw DomainError.notFound(what) }
        return value
    }
}

extension Request {
    /// The body as a form (URL-encoded or multipart) or JSON, decoded as `T`: the one way
    /// every route reads a submitted form. A body that cannot be parsed at all (a multipart
    /// body without parts, a broken boundary) is the sender's fault: `FieldError` on `body`,
    /// a 422, never a 500. Type mismatches stay `DecodingError`, which names the field.
    func form<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try content.decode(T.self)
        } catch let error as DecodingError {
            throw error
        } catch let error as any AbortError where error.status.code < 500 {
            throw error
        } catch {
            let kind = headers.contentType.map { "\($0.type)/\($0.subType)" } ?? "a form"
            throw FieldError("body", "The body could not be read as \(kind): check that it is complete and well formed")
        }
    }
}

extension Request {
    /// A whole-number query parameter: `fallback` when absent or empty, 422 on `name` when it
    /// is not a whole number in `range` (never silently the default).
    func queryInteger(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text: String = query[name], !text.isEmpty else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw FieldError(name, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
