import Fluent
import Vapor

/// Every route the application serves, grouped by who may reach it. Each collection
/// registers its routes from the route table (`SiteURL`, `APIURL`).
func routes(_ app: Application) throws {
    try app.register(collection: OperationsRoutes())

    // Pages: cookie sessions, CSRF on every form. Who is asking is settled before any form
    // is read: an anonymous visitor's body is read only by the sign-in form, within its limit.
    let web = app.grouped(SessionUserAuthenticator())
    try web.grouped(CSRFMiddleware()).register(collection: HomeRoutes())
    try web.grouped(CSRFMiddleware()).register(collection: SignInRoutes())
    let signedIn = web.grouped(RequireUser(), CSRFMiddleware())
    try signedIn.register(collection: OrganisationWebRoutes())
    try signedIn.register(collection: UserWebRoutes())
    try signedIn.register(collection: AccountWebRoutes())
    try signedIn.register(collection: FrameworkWebRoutes())
    try signedIn.register(collection: CycleWebRoutes())
    try signedIn.register(collection: SharingWebRoutes())
    try signedIn.register(collection: AuditWebRoutes())

    // API: bearer tokens, no cookies, so no CSRF.
    try app.register(collection: OpenAPIRoutes(document: try OpenAPIDocument.load()))
    TokenAPIRoutes().bootPublic(routes: app)
    let api = app.grouped(BearerUserAuthenticator(), RequireUser())
    try api.register(collection: TokenAPIRoutes())
    try api.register(collection: OrganisationAPIRoutes())
    try api.register(collection: UserAPIRoutes())
    try api.register(collection: FrameworkAPIRoutes())
    try api.register(collection: CycleAPIRoutes())
    try api.register(collection: RiskTierAPIRoutes())
    try api.register(collection: AssessmentAPIRoutes())
    try api.register(collection: SharingAPIRoutes())
    try api.register(collection: AuditAPIRoutes())
    try api.register(collection: MyWorkAPIRoutes())
}
