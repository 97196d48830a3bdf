import Fluent
import InspectorateCore
import Vapor

/// The organisations pages: list, detail, register and edit a partner body.
struct OrganisationWebRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.organisations, use: index)
        routes.get(SiteURL.organisation(.key), use: show)
        let registrars = routes.guarded(by: .registerPartners)
        registrars.get(SiteURL.organisationNew, use: new)
        registrars.post(SiteURL.organisations, use: create)
        routes.get(SiteURL.organisationEdit(.key), use: edit)
        routes.post(SiteURL.organisationEdit(.key), use: update)
    }

    struct Row: Encodable {
        var code, name, kind: String
        var region, country: String?
        var population: String?
        var officers: String?
    }

    struct Column: Encodable {
        var key, label: String
        var href: String
        var ariaSort: String
        var numeric: Bool
    }

    struct IndexPage: Encodable {
        var page: PageContext
        var rows: [Row]
        var count: Int
        var columns: [Column]
        var regions: [Option]
        var kinds: [Option]
        var filterProblems: [FormState.Problem]
    }

    struct Option: Encodable {
        var value, label: String
        var selected: Bool
    }

    func index(req: Request) async throws -> View {
        let region: String? = req.query["region"]
        let kind: String? = req.query["kind"]
        let sort: String? = req.query["sort"]
        let order: String? = req.query["order"]
        var problems: [FieldError] = []
        var query = OrganisationQuery()
        do { query = try OrganisationQuery(region: region, kind: kind, sort: sort, order: order) } catch let error as FieldError {
            problems.append(error)
        }
        let organisations = try await OrganisationService.list(query, scope: try req.organisationScope, on: req.db)
        let rows = organisations.map {
            Row(
                code: $0.code, name: $0.name, kind: $0.kind.displayName, region: $0.region, country: $0.country,
                population: $0.population2011.map(Self.grouped), officers: $0.officers2019.map(Self.grouped))
        }
        let labels: [(OrganisationQuery.Sort, String, Bool)] = [
            (.name, "Name", false), (.code, "Code", false), (.kind, "Kind", false), (.region, "Region", false),
            (.population, "Population (2011)", true), (.officers, "Officers (2019)", true),
        ]
        let columns = labels.map { sortKey, label, numeric in
            let active = query.sort == sortKey
            let nextOrder = active && !query.descending ? "desc" : "asc"
            let href = SiteURL.organisations.path(query: [
                ("sort", sortKey.rawValue), ("order", nextOrder), ("region", query.region), ("kind", query.kind?.rawValue),
            ])
            return Column(
                key: sortKey.rawValue, label: label, href: href,
                ariaSort: active ? (query.descending ? "descending" : "ascending") : "none", numeric: numeric)
        }
        let page = IndexPage(
            page: .init(title: "Organisations", req: req), rows: rows, count: rows.count, columns: columns,
            regions: Region.all.map { Option(value: $0, label: $0, selected: $0 == query.region) },
            kinds: OrganisationKind.allCases.map { Option(value: $0.rawValue, label: $0.displayName, selected: $0 == query.kind) },
            filterProblems: FormState(problems: problems).problems)
        return try await req.view.render("organisations/index", page)
    }

    struct ShowPage: Encodable {
        var page: PageContext
        var organisation: OrganisationDTO
        var kind: String
        var population: String?
        var officers: String?
        var canEdit: Bool
    }

    func show(req: Request) async throws -> View {
        let organisation = try await OrganisationService.require(
            code: try req.parameter("code"), scope: try req.organisationScope, on: req.db)
        let page = ShowPage(
            page: .init(title: organisation.name, req: req), organisation: OrganisationDTO(organisation),
            kind: organisation.kind.displayName,
            population: organisation.population2011.map(Self.grouped),
            officers: organisation.officers2019.map(Self.grouped),
            canEdit: AccessRule.canEdit(organisationOfKind: organisation.kind, principal: try req.principal))
        return try await req.view.render("organisations/show", page)
    }

    static func grouped(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_GB")))
    }
}
