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
