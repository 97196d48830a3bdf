import Fluent
import Vapor

/// Sign-in and sign-out pages.
struct SignInRoutes: RouteCollection {
    struct SignInForm: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    struct SignInPage: Encodable {
        var page: PageContext
        var form: FormState
        var next: String
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.signIn, use: show)
        routes.post(SiteURL.signIn, use: signIn)
        routes.post(SiteURL.signOut, use: signOut)
    }

    func show(req: Request) async throws -> View {
        try await req.view.render(
            "signin",
            SignInPage(
                page: .init(title: "Sign in", req: req), form: FormState(),
                next: Self.safeNext(req.query["next"])))
    }

    func signIn(req: Request) async throws -> Response {
        let form = try req.form(SignInForm.self)
        let next = Self.safeNext(form.next)
        do {
            let user = try await SignInService.authenticate(
                email: form.email ?? "", password: form.password ?? "", address: req.clientAddress, caller: req.caller,
                hasher: req.password.async, cost: req.application.settings.bcryptCost, on: req.db)
            // A fresh session id on sign-in, so a session planted before it is worthless.
            if let old = req.session.id {
                try await req.application.sessions.driver.deleteSession(old, for: req).get()
                req.session.id = nil
            }
            req.session.data[SessionKey.userID] = try user.requireID().uuidString
            req.session.data[SessionKey.stamp] = SessionKey.stamp(for: user)
            req.session.data[SessionKey.expires] = String(
                req.now.timeIntervalSince1970 + Double(req.application.settings.sessionHours) * 3600)
            req.session.data[SessionKey.csrf] = nil
            return req.redirect(to: next)
        } catch {
            let problems = try FormState.problems(from: error)
            let status = FormState.status(of: error)
            let page = SignInPage(
                page: .init(title: "Sign in", req: req),
                form: FormState(values: ["email": form.email ?? ""], problems: problems), next: next)
            let response = try await req.view.render("signin", page).encodeResponse(for: req)
            response.status = status
            return response
        }
    }

    func signOut(req: Request) async throws -> Response {
        if let user = req.auth.get(User.self) {
            try await Audit.record(
                AuditEvent(
                    action: "sign-out", recordType: "user", recordID: try user.requireID().uuidString, organisationID: user.$organisation.id
                ),
                caller: req.caller, on: req.db)
        }
        req.session.destroy()
        return req.redirect(to: SiteURL.signIn.path)
    }

    /// Only a page of this site, so the sign-in page cannot send people elsewhere.
    static func safeNext(_ raw: String?) -> String {
        SiteURL.localPage(raw) ?? SiteURL.home.path
    }
}
