import Fluent
import InspectorateCore
import Vapor

/// Registering and editing organisations through the web form.
extension OrganisationWebRoutes {
    struct OrganisationForm: Content {
        var code: String?
        var name: String?
        var region: String?
        var country: String?
        var population_2011: String?
        var officers_2019: String?
        var version: String?

        var values: [String: String] {
            [
                "code": code ?? "", "name": name ?? "", "region": region ?? "", "country": country ?? "",
                "population_2011": population_2011 ?? "", "officers_2019": officers_2019 ?? "", "version": version ?? "",
            ]
        }

        func changes() -> OrganisationChanges {
            var errors = ValidationErrors()
            func number(_ raw: String?, _ field: String) -> Int? {
                guard let raw = raw?.replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
                    return nil
                }
                guard let value = Int(raw) else { errors.add(field, "Enter a whole number"); return nil }
                return value
            }
            var changes = OrganisationChanges(
                code: code?.trimmingCharacters(in: .whitespaces), name: name, region: region ?? "", country: country ?? "",
                population2011: number(population_2011, "population_2011"), officers2019: number(officers_2019, "officers_2019"))
            changes.problems = errors.errors
            return changes
        }
    }

    struct FormPage: Encodable {
        var page: PageContext
        var form: FormState
        var creating: Bool
        var action: String
        var regions: [Option]
        var organisation: OrganisationDTO?
    }

    func formPage(_ req: Request, title: String, form: FormState, organisation: Organisation?) throws -> FormPage {
        let chosen = form.values["region"] ?? organisation?.region ?? ""
        return FormPage(
            page: .init(title: title, req: req), form: form, creating: organisation == nil,
            action: organisation.map { SiteURL.organisationEdit(.value($0.code)).path } ?? SiteURL.organisations.path,
            regions: Region.all.map { Option(value: $0, label: $0, selected: $0 == chosen) },
            organisation: organisation.map(OrganisationDTO.init))
    }

    func new(req: Request) async throws -> View {
        try await req.view.render(
            "organisations/form", formPage(req, title: "Register a partner organisation", form: FormState(), organisation: nil))
    }

    func create(req: Request) async throws -> Response {
        let form = try req.form(OrganisationForm.self)
        do {
            let organisation = try await OrganisationService.createPartner(form.changes(), caller: req.caller, on: req.db)
            req.flash("\(organisation.name) has been registered")
            return req.redirect(to: SiteURL.organisation(.value(organisation.code)).path)
        } catch {
            let state = FormState(values: form.values, problems: try FormState.problems(from: error))
            return try await rerender(
                req, try formPage(req, title: "Register a partner organisation", form: state, organisation: nil), status: error)
        }
    }

    func editable(_ req: Request) async throws -> Organisation {
        let organisation = try await OrganisationService.require(
            code: try req.parameter("code"), scope: try req.organisationScope, on: req.db)
        guard AccessRule.canEdit(organisationOfKind: organisation.kind, principal: try req.principal) else {
            throw DomainError.forbidden(
                reason: "Only administrators can change the details of \(organisation.kind.displayName.lowercased())s")
        }
        return organisation
    }

    func edit(req: Request) async throws -> View {
        let organisation = try await editable(req)
        let values = [
            "name": organisation.name, "region": organisation.region ?? "", "country": organisation.country ?? "",
            "population_2011": organisation.population2011.map(String.init) ?? "",
            "officers_2019": organisation.officers2019.map(String.init) ?? "", "version": String(organisation.version),
        ]
        return try await req.view.render(
            "organisations/form",
            formPage(req, title: "Edit \(organisation.name)", form: FormState(values: values), organisation: organisation))
    }

    func update(req: Request) async throws -> Response {
        let organisation = try await editable(req)
        let form = try req.form(OrganisationForm.self)
        do {
            guard let version = form.version.flatMap(Int.init) else {
                throw FieldError("version", "The form is missing its version; reload the page")
            }
            var changes = form.changes()
            changes.code = nil
            let updated = try await OrganisationService.update(
                organisation, with: changes, expectedVersion: version, caller: req.caller, on: req.db)
            req.flash("Changes to \(updated.name) have been saved")
            return req.redirect(to: SiteURL.organisation(.value(updated.code)).path)
        } catch DomainError.stale {
            // Show what is there now, keeping what the user typed for them to re-apply.
            let fresh = try await OrganisationService.require(code: organisation.code, scope: .all, on: req.db)
            var values = form.values
            values["version"] = String(fresh.version)
            let error = DomainError.stale(current: nil)
            let state = FormState(
                values: values,
                problems: [
                    FieldError(
                        "version",
                        "\(error.description). Current values: name \(fresh.name), region \(fresh.region ?? "none"), population \(fresh.population2011.map(String.init) ?? "none"), officers \(fresh.officers2019.map(String.init) ?? "none")."
                    )
                ])
            return try await rerender(
                req, try formPage(req, title: "Edit \(organisation.name)", form: state, organisation: fresh), status: error)
        } catch {
            let state = FormState(values: form.values, problems: try FormState.problems(from: error))
            return try await rerender(
                req, try formPage(req, title: "Edit \(organisation.name)", form: state, organisation: organisation), status: error)
        }
    }
}

/// Shows a form again with its problems, with the status the error carries (422, 409…).
func rerender(
    _ req: Request, _ page: some Encodable, template: String = "organisations/form", status error: any Error
) async throws -> Response {
    let response = try await req.view.render(template, page).encodeResponse(for: req)
    response.status = FormState.status(of: error)
    return response
}
