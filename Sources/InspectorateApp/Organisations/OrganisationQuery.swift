import Fluent
import Foundation
import InspectorateCore

/// How a list of organisations is filtered and ordered; shared by page, API and CLI.
struct OrganisationQuery: Sendable {
    enum Sort: String, CaseIterable, Sendable {
        case name, code, kind, region, population, officers
    }

    var region: String?
    var kind: OrganisationKind?
    var sort: Sort = .name
    var descending = false

    /// Every filter and the order, for keeping a list in the read cache.
    var cacheKey: String { "\(region ?? "")|\(kind?.rawValue ?? "")|\(sort.rawValue)|\(descending)" }

    init(region: String? = nil, kind: OrganisationKind? = nil, sort: Sort = .name, descending: Bool = false) {
        self.region = region
        self.kind = kind
        self.sort = sort
        self.descending = descending
    }

    /// Parses user-supplied filter values, naming the parameter that is wrong.
    init(region: String?, kind: String?, sort: String?, order: String?) throws {
        if let region, !region.isEmpty {
            guard let canonical = Region.canonical(region) else {
                throw FieldError("region", "Unknown region \"\(region)\"; use one of \(Region.all.joined(separator: ", "))")
            }
            self.region = canonical
        }
        if let kind, !kind.isEmpty {
            guard let parsed = OrganisationKind(rawValue: kind) else {
                throw FieldError(
                    "kind", "Unknown kind \"\(kind)\"; use one of \(OrganisationKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.kind = parsed
        }
        if let sort, !sort.isEmpty {
            guard let parsed = Sort(rawValue: sort) else {
                throw FieldError("sort", "Unknown sort \"\(sort)\"; use one of \(Sort.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.sort = parsed
        }
        switch order ?? "" {
        case "", "asc": descending = false
        case "desc": descending = true
        default: throw FieldError("order", "Order must be asc or desc")
        }
    }
}

extension QueryBuilder where Model == Organisation {
    /// The one place that turns an access scope into a database filter.
    func visible(to scope: OrganisationScope) -> Self {
        switch scope {
        case .all: return self
        case .only(let id): return filter(\Organisation.$id, .equal, id)
        case .nothing: return filter(\Organisation.$id ~~ [UUID]())
        }
    }
}
