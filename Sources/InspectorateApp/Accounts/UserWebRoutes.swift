import Fluent
import InspectorateCore
import Vapor

/// Administrators' pages for accounts.
struct UserWebRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.guarded(by: .manageUsers)
        users.get(SiteURL.users, use: index)
        users.get(SiteURL.userNew, use: new)
        users.post(SiteURL.users, use: create)
        users.get(SiteURL.userEdit(.key), use: edit)
        users.post(SiteURL.userEdit(.key), use: update)
        users.post(SiteURL.userResetPassword(.key), use: resetPassword)
    }

    struct Row: Encodable {
        var id: UUID
        var email, displayName, role: String
        var organisation: String?
        var active: Bool
        var vetting: String
    }

    func index(req: Request) async throws -> View {
        struct Page: Encodable { var page: PageContext; var rows: [Row] }
        let now = req.now
        let rows = try await UserService.list(on: req.db).map { user in
            Row(
                id: try user.requireID(), email: user.email, displayName: user.displayName, role: user.role.displayName,
                organisation: user.organisation?.name, active: user.active,
                vetting: user.vetting.effectiveLevel(at: now) == user.vettingLevel
                    ? user.vettingLevel.rawValue.uppercased() : "\(user.vettingLevel.rawValue.uppercased()) (not in force)")
        }
        return try await req.view.render("users/index", Page(page: .init(title: "Users", req: req), rows: rows))
    }

    struct UserForm: Content {
        var email: String?
        var display_name: String?
        var role: String?
        var organisation: String?
        var active: String?
        var vetting_level: String?
        var vetting_granted: String?
        var vetting_expires: String?
        var vetting_reference: String?
        var version: String?

        var values: [String: String] {
            [
                "email": email ?? "", "display_name": display_name ?? "", "role": role ?? "", "organisation": organisation ?? "",
                "active": active ?? "", "vetting_level": vetting_level ?? "none", "vetting_granted": vetting_granted ?? "",
                "vetting_expires": vetting_expires ?? "", "vetting_reference": vetting_reference ?? "", "version": version ?? "",
            ]
        }

        func changes(editing: Bool, zone: TimeZone) -> UserChanges {
            var errors = ValidationErrors()
            var changes = UserChanges()
            changes.email = email
            changes.displayName = display_name
            if let role, !role.isEmpty {
                if let parsed = Role(rawValue: role) { changes.role = parsed } else { errors.add("role", "Choose a role") }
            }
            changes.organisationCode = organisation ?? ""
            if editing { changes.active = active == "true" }
            changes.vettingLevel = VettingLevel(rawValue: vetting_level ?? "none")
            if changes.vettingLevel == nil { errors.add("vetting_level", "Choose a vetting level") }
            for (field, raw) in [("vetting_granted", vetting_granted), ("vetting_expires", vetting_expires)] {
                var date: Date?? = .some(nil)
                if let raw, !raw.isEmpty {
                    do { date = .some(try DateInput.parse(raw, field: field, zone: zone)) } catch let error as FieldError {
                        errors.add(field, error.message)
                    } catch { errors.add(field, "Enter a date like 2026-03-31") }
                }
                if field == "vetting_granted" { changes.vettingGranted = date } else { changes.vettingExpires = date }
            }
            changes.vettingReference = vetting_reference
            changes.problems = errors.errors
            return changes
        }
    }

    struct FormPage: Encodable {
        var page: PageContext
        var form: FormState
        var creating: Bool
        var action: String
        var roles: [OrganisationWebRoutes.Option]
        var vettingLevels: [OrganisationWebRoutes.Option]
        var organisations: [OrganisationWebRoutes.Option]
        var userID: UUID?
        var generatedPassword: String?
        var email: String?
    }

    func formPage(_ req: Request, title: String, form: FormState, user: User?) async throws -> FormPage {
        let organisations = try await OrganisationService.list(OrganisationQuery(), scope: .all, on: req.db)
        let role = form.values["role"] ?? ""
        let vetting = form.values["vetting_level"] ?? "none"
        let organisation = form.values["organisation"] ?? ""
        return FormPage(
            page: .init(title: title, req: req), form: form, creating: user == nil,
            action: try user.map { SiteURL.userEdit(.value(try $0.requireID())).path } ?? SiteURL.users.path,
            roles: Role.allCases.map { .init(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == role) },
            vettingLevels: VettingLevel.allCases.map { .init(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == vetting) },
            organisations: organisations.map { .init(value: $0.code, label: $0.name, selected: $0.code == organisation) },
            userID: user?.id, generatedPassword: nil, email: user?.email)
    }

    func new(req: Request) async throws -> View {
        try await req.view.render("users/form", formPage(req, title: "Add a user", form: FormState(), user: nil))
    }

    func create(req: Request) async throws -> Response {
        let form = try req.form(UserForm.self)
        do {
            let (user, password) = try await UserService.create(
                form.changes(editing: false, zone: req.application.settings.timeZone), password: nil, hasher: req.password.async,
                caller: req.caller, on: req.db)
            var page = try await formPage(req, title: "User added", form: FormState(), user: user)
            page.generatedPassword = password
            return try await req.view.render("users/created", page).encodeResponse(status: .created, for: req)
        } catch {
            let state = FormState(values: form.values, problems: try FormState.problems(from: error))
            return try await rerender(
                req, try await formPage(req, title: "Add a user", form: state, user: nil), template: "users/form", status: error)
        }
    }

    func load(_ req: Request) async throws -> User {
        guard let user = try await UserService.find(id: try req.parameter("id", as: UUID.self, naming: "user"), on: req.db) else {
            throw DomainError.notFound("user")
        }
        return user
    }

    /// The form's values for `user`; dates as the days they are in the deployment's zone.
    static func values(of user: User, display: DisplayFormat) -> [String: String] {
        let day = display.isoDay
        return [
            "email": user.email, "display_name": user.displayName, "role": user.role.rawValue,
            "organisation": user.organisation?.code ?? "", "active": user.active ? "true" : "",
            "vetting_level": user.vettingLevel.rawValue, "vetting_granted": user.vettingGranted.map(day) ?? "",
            "vetting_expires": user.vettingExpires.map(day) ?? "", "vetting_reference": user.vettingReference,
            "version": String(user.version),
        ]
    }

    func edit(req: Request) async throws -> View {
        let user = try await load(req)
        return try await req.view.render(
            "users/form",
            formPage(
                req, title: "Edit \(user.displayName)", form: FormState(values: Self.values(of: user, display: req.display)), user: user))
    }

    func update(req: Request) async throws -> Response {
        let user = try await load(req)
        let form = try req.form(UserForm.self)
        do {
            guard let version = form.version.flatMap(Int.init) else {
                throw FieldError("version", "The form is missing its version; reload the page")
            }
            var changes = form.changes(editing: true, zone: req.application.settings.timeZone)
            changes.email = nil
            // The form shows days; a day left as shown leaves the stored instant as it is.
            let shown = Self.values(of: user, display: req.display)
            if form.vetting_granted ?? "" == shown["vetting_granted"] { changes.vettingGranted = nil }
            if form.vetting_expires ?? "" == shown["vetting_expires"] { changes.vettingExpires = nil }
            _ = try await UserService.update(user, with: changes, expectedVersion: version, caller: req.caller, on: req.db)
            req.flash("Changes to \(user.email) have been saved")
            return req.redirect(to: SiteURL.users.path)
        } catch {
            var values = form.values
            values["email"] = user.email
            let state = FormState(values: values, problems: try FormState.problems(from: error))
            return try await rerender(
                req, try await formPage(req, title: "Edit \(user.displayName)", form: state, user: user), template: "users/form",
                status: error)
        }
    }

    func resetPassword(req: Request) async throws -> View {
        let user = try await load(req)
        let password = PasswordGenerator.generate()
        try await UserService.setPassword(user, to: password, hasher: req.password.async, caller: req.caller, on: req.db)
        var page = try await formPage(req, title: "Password reset", form: FormState(), user: user)
        page.generatedPassword = password
        return try await req.view.render("users/created", page)
    }
}
