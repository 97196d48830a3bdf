import Fluent
import InspectorateCore
import Vapor

/// "My account": change password, create and revoke API tokens.
struct AccountWebRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.account, use: show)
        routes.post(SiteURL.accountPassword, use: changePassword)
        routes.post(SiteURL.accountTokens, use: createToken)
        routes.post(SiteURL.accountTokenRevoke(.key), use: revokeToken)
    }

    struct TokenRow: Encodable {
        var id: UUID
        var name: String
        var created: String
        var expires: String
        var lastUsed: String?
        var status: String
        var active: Bool
    }

    struct Page: Encodable {
        var page: PageContext
        var email: String
        var role: String
        var organisation: String?
        var vetting: String
        var tokens: [TokenRow]
        var passwordForm: FormState
        var tokenForm: FormState
        var newToken: String?
        var maximumDays: Int
    }

    func page(
        _ req: Request, passwordForm: FormState = FormState(), tokenForm: FormState = FormState(), newToken: String? = nil
    ) async throws -> Page {
        let user = try req.currentUser
        let now = req.now
        let format = req.display
        let tokens = try await TokenService.list(for: user, on: req.db).map { token in
            TokenRow(
                id: try token.requireID(), name: token.name, created: token.createdAt.map(format.instant) ?? "",
                expires: format.instant(token.expiresAt), lastUsed: token.lastUsedAt.map(format.instant),
                status: token.revokedAt != nil ? "Revoked" : (token.isUsable(at: now) ? "Active" : "Expired"),
                active: token.isUsable(at: now))
        }
        let organisation = try await user.$organisation.get(on: req.db)
        let effective = user.vetting.effectiveLevel(at: now)
        return Page(
            page: .init(title: "My account", req: req), email: user.email, role: user.role.displayName,
            organisation: organisation?.name,
            vetting: effective == .none && user.vettingLevel != .none
                ? "\(user.vettingLevel.displayName), not in force" : effective.displayName,
            tokens: tokens, passwordForm: passwordForm, tokenForm: tokenForm, newToken: newToken,
            maximumDays: req.application.settings.maximumTokenDays)
    }

    func show(req: Request) async throws -> View {
        try await req.view.render("account/index", page(req))
    }

    struct PasswordForm: Content {
        var current_password: String?
        var new_password: String?
        var confirm_password: String?
    }

    func changePassword(req: Request) async throws -> Response {
        let user = try req.currentUser
        let form = try req.form(PasswordForm.self)
        do {
            try await UserService.changeOwnPassword(
                user, current: form.current_password ?? "", new: form.new_password ?? "", confirmation: form.confirm_password ?? "",
                hasher: req.password.async, caller: req.caller, on: req.db)
            if let fresh = try await User.find(user.id, on: req.db) {
                req.session.data[SessionKey.stamp] = SessionKey.stamp(for: fresh)
            }
            req.flash("Your password has been changed. Your API tokens were revoked: create new ones if you need them.")
            return req.redirect(to: SiteURL.account.path)
        } catch {
            let state = FormState(problems: try FormState.problems(from: error))
            return try await rerender(req, try await page(req, passwordForm: state), template: "account/index", status: error)
        }
    }

    struct TokenForm: Content {
        var name: String?
        var expires_in_days: String?
    }

    func createToken(req: Request) async throws -> Response {
        let user = try req.currentUser
        let form = try req.form(TokenForm.self)
        do {
            var days: Int?
            if let raw = form.expires_in_days, !raw.isEmpty {
                guard let parsed = Int(raw) else { throw FieldError("expires_in_days", "Enter a whole number of days") }
                days = parsed
            }
            let (_, secret) = try await TokenService.issue(
                for: user, name: form.name ?? "", days: days,
                maximumDays: req.application.settings.maximumTokenDays, caller: req.caller, on: req.db)
            return try await req.view.render("account/index", page(req, newToken: secret)).encodeResponse(status: .created, for: req)
        } catch {
            let state = FormState(
                values: ["name": form.name ?? "", "expires_in_days": form.expires_in_days ?? ""],
                problems: try FormState.problems(from: error))
            return try await rerender(req, try await page(req, tokenForm: state), template: "account/index", status: error)
        }
    }

    func revokeToken(req: Request) async throws -> Response {
        let id = try req.parameter("id", as: UUID.self, naming: "token")
        let token = try await TokenService.revoke(id: id, of: try req.currentUser, caller: req.caller, on: req.db)
        req.flash("The token \(token.name) has been revoked")
        return req.redirect(to: SiteURL.account.path)
    }
}
