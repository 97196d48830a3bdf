import Foundation
import InspectorateCore
import Vapor

/// A value that fills a route parameter in a link: a code, an id, a number.
protocol RouteValue: Sendable {
    var routeText: String { get }
}

extension String: RouteValue { var routeText: String { self } }
extension UUID: RouteValue { var routeText: String { uuidString } }
extension Int: RouteValue { var routeText: String { String(self) } }
extension AssessmentKind: RouteValue { var routeText: String { rawValue } }

/// A route parameter: `.key` when the route is registered, `.value(x)` when a link to it is
/// made (the SwiftPackageIndex-Server `SiteURL` pattern).
enum Parameter<Value: RouteValue>: Sendable {
    case key
    case value(Value)

    var text: String? {
        switch self {
        case .key: nil
        case .value(let value): value.routeText
        }
    }
}

/// One segment of a route's path.
enum PathPart: Sendable, Equatable {
    case fixed(String)
    /// A named parameter, with its value when the path is a link.
    case parameter(String, String?)
}

/// A table of routes: every route is registered from a case, and every link, redirect and
/// form action is made from one, so a path is written once.
protocol RoutePath: Sendable {
    /// The path's segments, in order.
    var parts: [PathPart] { get }
    /// Every case in its `.key` form: the table, for registering, checking and tests.
    static var all: [Self] { get }
}

extension RoutePath {
    /// For registering the route with Vapor.
    var pathComponents: [PathComponent] {
        parts.map {
            switch $0 {
            case .fixed(let text): .constant(text)
            case .parameter(let name, _): .parameter(name)
            }
        }
    }

    /// `/organisations/:code`: the route as Vapor lists it.
    var pattern: String {
        "/" + pathComponents.map(\.description).joined(separator: "/")
    }

    /// The link: `/organisations/kent`, each value percent-encoded as one path segment.
    var path: String {
        "/"
            + parts.map {
                switch $0 {
                case .fixed(let text): text
                case .parameter(let name, let value): (value ?? ":\(name)").addingPercentEncoding(withAllowedCharacters: .pathSegment) ?? ""
                }
            }.joined(separator: "/")
    }

    /// The link with a query string, items in the order given; empty values are left out.
    func path(query: [(String, String?)]) -> String {
        var components = URLComponents()
        components.queryItems = query.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) } }
        guard let text = components.percentEncodedQuery, !text.isEmpty else { return path }
        return path + "?" + text.replacingOccurrences(of: "+", with: "%2B")
    }

    /// The case's name (`organisation`), as views name routes in `#path("organisation", code)`.
    var name: String {
        Mirror(reflecting: self).children.first?.label ?? String(describing: self)
    }

    /// How many parameters the path takes.
    var arity: Int {
        parts.filter { if case .parameter = $0 { true } else { false } }.count
    }

    /// The path of the case called `name`, its parameters filled in order: what the views'
    /// `#path` tag resolves. Nil for an unknown name or the wrong number of values.
    static func path(named name: String, values: [String]) -> String? {
        guard let route = all.first(where: { $0.name == name }), route.arity == values.count else { return nil }
        var remaining = values[...]
        let filled = route.parts.map { part -> PathPart in
            guard case .parameter(let key, _) = part else { return part }
            return .parameter(key, remaining.popFirst())
        }
        return FilledPath(parts: filled).path
    }
}

/// A path made by filling a table entry's parameters.
private struct FilledPath: RoutePath {
    var parts: [PathPart]
    static var all: [FilledPath] { [] }
}

extension CharacterSet {
    /// What may stand unescaped inside one path segment.
    static let pathSegment: CharacterSet = {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;?#%")
        return allowed
    }()
}

/// Builds the parts of a path: fixed segments as string literals, parameters with their name.
func segments(_ items: PathPart...) -> [PathPart] { items }

/// A parameter segment from a `Parameter`.
func param<Value>(_ name: String, _ value: Parameter<Value>) -> PathPart {
    .parameter(name, value.text)
}

extension PathPart: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self = .fixed(value) }
}

/// `cycles/:cycle/organisations/:organisation`: where pages and the API both keep an
/// organisation's part of a cycle.
func cycleMember(_ cycle: Parameter<String>, _ organisation: Parameter<String>) -> [PathPart] {
    ["cycles", param("cycle", cycle), "organisations", param("organisation", organisation)]
}

/// `…/assessments/:kind` under `cycleMember`.
func cycleAssessment(_ cycle: Parameter<String>, _ organisation: Parameter<String>, _ kind: Parameter<AssessmentKind>) -> [PathPart] {
    cycleMember(cycle, organisation) + ["assessments", param("kind", kind)]
}
