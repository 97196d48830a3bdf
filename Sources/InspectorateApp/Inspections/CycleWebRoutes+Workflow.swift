import Fluent
import InspectorateCore
import Vapor

/// The workflow page of a cycle: every assessment of one kind with where it stands, to move
/// many at once; and closing or reopening the cycle.
extension CycleWebRoutes {
    struct WorkflowRow: Encodable {
        var organisation, name, status: String
        var statusValue: String
        var checked: Bool
    }

    struct WorkflowPage: Encodable {
        var page: PageContext
        var code, cycleTitle, kind, kindName: String
        var kinds: [OrganisationWebRoutes.Option]
        var rows: [WorkflowRow]
        var targets: [OrganisationWebRoutes.Option]
        var counts: [OrganisationWebRoutes.Option]
        var problems: [String]
        var form: FormState
        var cycleOpen: Bool
        var canOpenOrClose: Bool
        /// Each tier with the framework's deadline and the cycle's own.
        var deadlines: [DeadlineRow]
        var version: Int
    }

    struct DeadlineRow: Encodable {
        var tier, name, framework, cycle: String
        var shown: String
    }

    func workflowPage(_ req: Request, problems: [String] = [], form: FormState = FormState()) async throws -> WorkflowPage {
        let scope = try req.organisationScope
        let cycle = try await CycleService.require(code: try req.parameter("cycle"), scope: scope, on: req.db)
        let kindText: String = req.query["assessment"] ?? form.values["assessment"] ?? AssessmentKind.inspection.rawValue
        guard let kind = AssessmentKind(rawValue: kindText) else {
            throw FieldError("assessment", "Choose the inspection or the self-assessment")
        }
        let members = try await CycleService.members(of: cycle, scope: scope, on: req.db)
        let stored = try await Assessment.query(on: req.db).filter(\.$cycle.$id == cycle.requireID()).filter(\.$kind == kind).all()
        let status = Dictionary(stored.map { ($0.$organisation.id, $0.status) }, uniquingKeysWith: { a, _ in a })
        let principal = try req.principal
        let chosen = Set((form.values["organisations"] ?? "").split(separator: ",").map(String.init))
        let rows = members.compactMap { member -> WorkflowRow? in
            let current = status[member.$organisation.id] ?? .draft
            guard AccessRule.canView(assessment: kind, status: current, organisationID: member.$organisation.id, principal: principal)
            else {
                return nil
            }
            return WorkflowRow(
                organisation: member.organisation.code, name: member.organisation.name,
                status: status[member.$organisation.id]?.displayName ?? "Not started", statusValue: current.rawValue,
                checked: chosen.contains(member.organisation.code))
        }
        let counts = AssessmentStatus.allCases.map { state in
            OrganisationWebRoutes.Option(
                value: state.displayName, label: String(rows.filter { $0.statusValue == state.rawValue }.count), selected: false)
        }
        return WorkflowPage(
            page: .init(title: "\(cycle.title): workflow", req: req), code: cycle.code, cycleTitle: cycle.title, kind: kind.rawValue,
            kindName: kind.displayName,
            kinds: AssessmentKind.allCases.map { .init(value: $0.rawValue, label: $0.displayName, selected: $0 == kind) },
            rows: rows,
            targets: AssessmentStatus.allCases.map {
                .init(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == form.values["to"])
            },
            counts: counts, problems: problems, form: form, cycleOpen: cycle.status == .open,
            canOpenOrClose: AccessRule.canCreateCycles(principal),
            deadlines: try cycle.framework.framework().tiers.map { tier in
                DeadlineRow(
                    tier: tier.code, name: tier.name, framework: req.display.civil(tier.deadline),
                    cycle: form.values["deadline-\(tier.code)"] ?? cycle.tierDeadlines[tier.code] ?? "",
                    shown: req.display.civil(cycle.deadline(of: tier)))
            },
            version: cycle.version)
    }

    func workflow(req: Request) async throws -> View {
        try await req.view.render("cycles/workflow", workflowPage(req))
    }

    struct MoveForm: Content {
        var assessment: String?
        var to: String?
        var reason: String?
        var organisations: [String]?
    }

    func moveMany(req: Request) async throws -> Response {
        let scope = try req.organisationScope
        let cycle = try await CycleService.require(code: try req.parameter("cycle"), scope: scope, on: req.db)
        let form = try req.form(MoveForm.self)
        let values = [
            "assessment": form.assessment ?? "", "to": form.to ?? "", "reason": form.reason ?? "",
            "organisations": (form.organisations ?? []).joined(separator: ","),
        ]
        do {
            guard let kind = AssessmentKind(rawValue: form.assessment ?? "") else {
                throw FieldError("assessment", "Choose the inspection or the self-assessment")
            }
            guard let target = form.to.flatMap(AssessmentStatus.init(rawValue:)) else {
                throw FieldError("to", "Choose where to move them")
            }
            let outcome = try await BulkWorkflow.move(
                in: cycle, kind: kind, selection: .organisations(form.organisations ?? []), to: target, reason: form.reason,
                reader: try await req.reader(), caller: req.caller, on: req.db)
            req.flash("\(outcome.moved.count) \(kind.displayName.lowercased())s moved to \(target.rawValue)")
            return req.redirect(to: SiteURL.cycleWorkflow(.value(cycle.code)).path(query: [("assessment", kind.rawValue)]))
        } catch {
            let problems = try FormState.problems(from: error)
            let page = try await workflowPage(req, problems: problems.map(\.message), form: FormState(values: values, problems: problems))
            return try await req.view.render("cycles/workflow", page).encodeResponse(status: FormState.status(of: error), for: req)
        }
    }

    struct StatusForm: Content {
        var status: String?
        var reason: String?
    }

    func setStatus(req: Request) async throws -> Response {
        let cycle = try await CycleService.require(code: try req.parameter("cycle"), scope: try req.organisationScope, on: req.db)
        let form = try req.form(StatusForm.self)
        do {
            guard let status = form.status.flatMap(CycleStatus.init(rawValue:)) else { throw FieldError("status", "Choose open or closed") }
            try await CycleService.setStatus(
                cycle, to: status, reason: form.reason, reader: try await req.reader(), caller: req.caller, on: req.db)
            req.flash("The cycle is now \(status.rawValue)")
            return req.redirect(to: SiteURL.cycleWorkflow(.value(cycle.code)).path)
        } catch {
            let problems = try FormState.problems(from: error)
            let page = try await workflowPage(req, problems: problems.map(\.message))
            return try await req.view.render("cycles/workflow", page).encodeResponse(status: FormState.status(of: error), for: req)
        }
    }

    func setDeadlines(req: Request) async throws -> Response {
        let cycle = try await CycleService.require(code: try req.parameter("cycle"), scope: try req.organisationScope, on: req.db)
        let form = try req.form([String: String].self)
        let tiers = try cycle.framework.framework().tiers
        let given = Dictionary(uniqueKeysWithValues: tiers.map { ($0.code, form["deadline-\($0.code)"] ?? "") })
        do {
            try await CycleService.setDeadlines(
                cycle, to: given, expectedVersion: form["version"].flatMap(Int.init), reader: try await req.reader(), caller: req.caller,
                on: req.db)
            req.flash("Deadlines saved")
            return req.redirect(to: SiteURL.cycleWorkflow(.value(cycle.code)).path)
        } catch {
            let problems = try FormState.problems(from: error)
            let page = try await workflowPage(req, problems: problems.map(\.message), form: FormState(values: form, problems: problems))
            return try await req.view.render("cycles/workflow", page).encodeResponse(status: FormState.status(of: error), for: req)
        }
    }
}
