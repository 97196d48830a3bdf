import LeafKit
import Vapor

/// `#path("organisation", row.code)` in a view: the link to a route of the table, its
/// parameters filled in order. An unknown name or the wrong number of values fails the
/// render (and the tests that render every page), never a silently broken link.
struct PathTag<Table: RoutePath>: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let name = ctx.parameters.first?.string else {
            throw LeafError(.unknownError("#path needs the name of a route"))
        }
        let values = ctx.parameters.dropFirst().map { $0.string ?? "" }
        guard let path = Table.path(named: name, values: values) else {
            throw LeafError(.unknownError("#path: no route \(name) taking \(values.count) values"))
        }
        return .string(path)
    }
}
