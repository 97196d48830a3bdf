import Foundation
import InspectorateCore

/// Where the next page of a list starts: the last item of the page before.
struct Cursor: Sendable, Equatable {
    var id: UUID

    var token: String { id.uuidString }

    init(id: UUID) {
        self.id = id
    }

    init?(token: String?) {
        guard let token, let id = UUID(uuidString: token) else { return nil }
        self.init(id: id)
    }

    /// From a query string: absent is the first page, anything else must be a cursor.
    init?(query: String?) throws {
        guard let query, !query.isEmpty else { return nil }
        guard let cursor = Cursor(token: query) else { throw FieldError("after", "\"\(query)\" is not the next value of a previous page") }
        self = cursor
    }
}
