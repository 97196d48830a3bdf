import Fluent
import InspectorateCore
import Vapor

struct HomeRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.home, use: home)
    }

    struct Page: Encodable {
        var page: PageContext
        var organisationCount: Int?
        var forceCount: Int?
        var partnerCount: Int?
        var work: [WorkGroup] = []
        var workCount = 0
    }

    /// The home page's "My work": one group per kind of work, at most `shown` rows each.
    struct WorkGroup: Encodable {
        var heading: String
        var count: Int
        var rows: [WorkRow]
        var more: Int
    }

    struct WorkRow: Encodable {
        var organisation: String
        var cycle: String
        var what: String
        var due: String
        var overdue: Bool
        var link: String
    }

    static let shown = 25

    func home(req: Request) async throws -> View {
        var page = Page(page: .init(title: "Inspectorate", req: req))
        if req.auth.has(User.self) {
            let visible = try await OrganisationService.list(OrganisationQuery(), scope: try req.organisationScope, on: req.db)
            page.organisationCount = visible.count
            page.forceCount = visible.filter { $0.kind == .territorialForce || $0.kind == .specialForce }.count
            page.partnerCount = visible.filter { $0.kind == .partnerBody }.count
            let items = try await MyWorkService.items(for: try req.principal, on: req.db)
            let today = CivilDate(containing: req.caller.now, in: req.application.settings.timeZone).description
            page.workCount = items.count
            page.work = WorkKind.allCases.compactMap { kind in
                let ofKind = items.filter { $0.kind == kind }
                guard !ofKind.isEmpty else { return nil }
                return WorkGroup(
                    heading: kind.heading, count: ofKind.count,
                    rows: ofKind.prefix(Self.shown).map { item in
                        WorkRow(
                            organisation: item.organisationName, cycle: item.cycleTitle,
                            what: item.assessment.map { $0 == .selfAssessment ? "Self-assessment" : "Inspection" } ?? "Risk tier",
                            due: req.display.civil(item.due), overdue: item.due < today, link: MyWorkService.link(of: item))
                    },
                    more: max(0, ofKind.count - Self.shown))
            }
        }
        return try await req.view.render("home", page)
    }
}
