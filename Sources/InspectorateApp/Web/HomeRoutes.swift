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
    }

    func home(req: Request) async throws -> View {
        var page = Page(page: .init(title: "Inspectorate", req: req))
        if req.auth.has(User.self) {
            let visible = try await OrganisationService.list(OrganisationQuery(), scope: try req.organisationScope, on: req.db)
            page.organisationCount = visible.count
            page.forceCount = visible.filter { $0.kind == .territorialForce || $0.kind == .specialForce }.count
            page.partnerCount = visible.filter { $0.kind == .partnerBody }.count
        }
        return try await req.view.render("home", page)
    }
}
