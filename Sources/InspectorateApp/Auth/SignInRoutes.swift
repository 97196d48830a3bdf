import Vapor
import Fluent

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
        routes.get("sign-in", use: show)
        routes.post("sign-in", use: signIn)
        routes.post("sign-out", use: signOut)
    }

    func show(req: Request) async throws -> View {
        try await req.view.render("signin", SignInPage(page: .init(title: "Sign in", req: req), form: FormState(),
                                                       next: Self.safeNext(req.query["next"])))
    }

    func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(SignInForm.self)
        let next = Self.safeNext(form.next)
        do {
            let user = try await SignInService.authenticate(
                email: form.email ?? "", password: form.password ?? "", address: req.clientAddress, requestID: req.id,
                hasher: req.password.async, on: req.db)
            // A fresh session id on sign-in, so a session planted before it is worthless.
            if let old = req.session.id {
                try await req.application.sessions.driver.deleteSession(old, for: req).get()
                req.session.id = nil
            }
            req.session.data[SessionKey.userID] = try user.requireID().uuidString
            req.session.data[SessionKey.stamp] = SessionKey.stamp(for: user)
            req.session.data[SessionKey.expires] = String(Date().timeIntervalSince1970 + Double(req.application.settings.sessionHours) * 3600)
            req.session.data[SessionKey.csrf] = nil
            return req.redirect(to: next)
        } catch {
            let problems = try FormState.problems(from: error)
            let status: HTTPStatus = (error as? AppError)?.status ?? .unprocessableEntity
            let page = SignInPage(page: .init(title: "Sign in", req: req),
                                  form: FormState(values: ["email": form.email ?? ""], problems: problems), next: next)
            let response = try await req.view.render("signin", page).encodeResponse(for: req)
            response.status = status
            return response
        }
    }

    func signOut(req: Request) async throws -> Response {
        req.session.destroy()
        return req.redirect(to: "/sign-in")
    }

    /// Only local paths, so the sign-in page cannot be used to send people elsewhere.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\") else { return "/" }
        return raw
    }
}
