import Vapor
import Fluent

/// Every route the application serves, grouped by who may reach it.
func routes(_ app: Application) throws {
    try app.register(collection: OperationsRoutes())

    // Pages: cookie sessions, CSRF on every form.
    let web = app.grouped(SessionUserAuthenticator(), CSRFMiddleware())
    try web.register(collection: HomeRoutes())
    try web.register(collection: SignInRoutes())
    let signedIn = web.grouped(RequireUser())
    try signedIn.register(collection: OrganisationWebRoutes())
    try signedIn.register(collection: UserWebRoutes())
    try signedIn.register(collection: AccountWebRoutes())
    try signedIn.register(collection: FrameworkWebRoutes())
    try signedIn.register(collection: CycleWebRoutes())
    try signedIn.register(collection: SharingWebRoutes())
    try signedIn.register(collection: AuditWebRoutes())

    // API: bearer tokens, no cookies, so no CSRF.
    let api = app.grouped("api", "v1")
    try api.register(collection: OpenAPIRoutes(document: try OpenAPIDocument.load()))
    TokenAPIRoutes().bootPublic(routes: api)
    let authenticated = api.grouped(BearerUserAuthenticator(), RequireUser())
    try authenticated.register(collection: TokenAPIRoutes())
    try authenticated.register(collection: OrganisationAPIRoutes())
    try authenticated.register(collection: UserAPIRoutes())
    try authenticated.register(collection: FrameworkAPIRoutes())
    try authenticated.register(collection: CycleAPIRoutes())
    try authenticated.register(collection: SharingAPIRoutes())
    try authenticated.register(collection: AuditAPIRoutes())
}
