import Fluent
import InspectorateCore
import Vapor

/// Starting a cycle from the web: administrators and lead inspectors.
extension CycleWebRoutes {
    struct CycleForm: Content {
        var code, title, framework, self_assessment_due, fieldwork_start, fieldwork_end, moderation_due, publication: String?
        var previous: String?
        var organisations: String?

        var values: [String: String] {
            [
                "code": code ?? "", "title": title ?? "", "framework": framework ?? "", "self_assessment_due": self_assessment_due ?? "",
                "fieldwork_start": fieldwork_start ?? "", "fieldwork_end": fieldwork_end ?? "", "moderation_due": moderation_due ?? "",
                "publication": publication ?? "", "previous": previous ?? "", "organisations": organisations ?? "",
            ]
        }

        var input: CycleInput {
            let codes = (organisations ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
            return CycleInput(
                code: code, title: title, framework: framework, selfAssessmentDue: self_assessment_due,
                fieldworkStart: fieldwork_start, fieldworkEnd: fieldwork_end, moderationDue: moderation_due,
                publication: publication, organisations: codes.isEmpty ? nil : codes, previous: previous)
        }
    }

    struct NewCyclePage: Encodable {
        var page: PageContext
        var form: FormState
        var frameworks: [OrganisationWebRoutes.Option]
        var cycles: [OrganisationWebRoutes.Option]
    }

    func newCyclePage(_ req: Request, form: FormState) async throws -> NewCyclePage {
        let frameworks = try await FrameworkService.list(on: req.db).map(\.reference)
        let cycles = try await CycleService.list(scope: .all, on: req.db).map(\.code)
        return NewCyclePage(
            page: .init(title: "Start an inspection cycle", req: req), form: form,
            frameworks: frameworks.map { .init(value: $0, label: $0, selected: $0 == form.values["framework"]) },
            cycles: cycles.map { .init(value: $0, label: $0, selected: $0 == form.values["previous"]) })
    }

    func newCycle(req: Request) async throws -> View {
        try await req.view.render("cycles/new", newCyclePage(req, form: FormState()))
    }

    func createCycle(req: Request) async throws -> Response {
        let form = try req.form(CycleForm.self)
        do {
            let cycle = try await CycleService.create(form.input, caller: req.caller, on: req.db)
            req.flash("\(cycle.title) has started")
            return req.redirect(to: SiteURL.cycle(.value(cycle.code)).path)
        } catch {
            let state = FormState(values: form.values, problems: try FormState.problems(from: error))
            return try await rerender(req, try await newCyclePage(req, form: state), template: "cycles/new", status: error)
        }
    }
}
