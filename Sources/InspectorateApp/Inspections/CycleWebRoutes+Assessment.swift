import Fluent
import InspectorateCore
import Vapor

/// The assessment page: every criterion with its descriptors, the level, narrative and
/// rationale, an edit form when the person may edit, and the workflow buttons.
extension CycleWebRoutes {
    struct CriterionForm: Encodable {
        var code, title, area: String
        var level: Int?
        var levelName: String
        var narrative, rationale: String
        var version: Int
        var options: [OrganisationWebRoutes.Option]
    }

    struct AssessmentPage: Encodable {
        var page: PageContext
        var cycle, organisation, kind, kindName, status: String
        var criteria: [CriterionForm]
        var canEdit: Bool
        var needsReason: Bool
        var missing: [String]
        var transitions: [String]
        var version: Int
        var history: [HistoryLine]
        var problems: [String]
        var evidence: [EvidenceLine]
        var criterionOptions: [OrganisationWebRoutes.Option]
        var markings: [SharingWebRoutes.Option]
        var groupOptions: [SharingWebRoutes.Option]
        var form: FormState
        var narrativeMarking: String
        var narrativesWithheld: Bool
        var canRemark: Bool
    }

    struct EvidenceLine: Encodable { var id: UUID; var criterion, title, filename, marking, size, uploaded: String }

    struct HistoryLine: Encodable { var what, change, reason, by, when: String }

    func assessmentPage(_ req: Request, problems: [String] = [], form: FormState = FormState()) async throws -> AssessmentPage {
        let context = try await req.assessmentInCycle()
        let (cycle, member, framework, assessment) = (context.cycle, context.member, context.framework, context.assessment)
        let principal = try req.principal
        let reader = try await req.reader()
        let narratives = try await NarrativeAccess.check(assessment, reader: reader, caller: req.caller, on: req.db)
        let byCode = Dictionary(assessment.judgements.map { ($0.criterionCode, $0) }, uniquingKeysWith: { a, _ in a })
        let criteria = framework.criteria.map { area, criterion in
            let judgement = byCode[criterion.code]
            return CriterionForm(
                code: criterion.code, title: criterion.title, area: area.title, level: judgement?.level,
                levelName: judgement?.level.map { "\($0) \(framework.levelName($0) ?? "")" } ?? "Not yet judged",
                narrative: narratives.readable ? judgement?.narrative ?? "" : "",
                rationale: narratives.readable ? judgement?.rationale ?? "" : "",
                version: judgement?.version ?? 0,
                options: framework.scale.map {
                    .init(
                        value: String($0.level), label: "\($0.level) \($0.name): \(criterion.descriptors[$0.level] ?? "")",
                        selected: $0.level == judgement?.level)
                })
        }
        let format = req.display
        let history = try await AssessmentService.history(of: assessment, on: req.db)
            .filter { narratives.readable || !AssessmentService.narrativeFields.contains($0.field) }.prefix(50).map {
                HistoryLine(
                    what: [$0.criterionCode, $0.field].compactMap { $0 }.joined(separator: " "),
                    change:
                        "\($0.oldValue.map { $0.isEmpty ? "(empty)" : String($0.prefix(60)) } ?? "(none)") → \($0.newValue.map { $0.isEmpty ? "(empty)" : String($0.prefix(60)) } ?? "(none)")",
                    reason: $0.reason ?? "", by: $0.changedBy?.displayName ?? "unknown", when: format.instant($0.changedAt))
            }
        let evidence = try await EvidenceService.list(of: assessment, reader: reader, on: req.db).map {
            EvidenceLine(
                id: try $0.requireID(), criterion: $0.criterionCode, title: $0.title, filename: $0.filename,
                marking: $0.marking.description,
                size: ByteCountFormatter.string(fromByteCount: Int64($0.size), countStyle: .file), uploaded: format.instant($0.uploadedAt))
        }
        return AssessmentPage(
            page: .init(title: "\(assessment.kind.displayName): \(member.organisation.name)", req: req),
            cycle: cycle.code, organisation: member.organisation.code, kind: assessment.kind.rawValue,
            kindName: assessment.kind.displayName,
            status: assessment.status.displayName, criteria: criteria,
            canEdit: AssessmentWorkflow.canEdit(
                assessment.kind, status: assessment.status, organisationID: member.$organisation.id, principal: principal),
            needsReason: assessment.status != .draft,
            missing: AssessmentWorkflow.missing(for: framework, entries: byCode.mapValues(\.entry)),
            transitions: AssessmentWorkflow.transitions(
                from: assessment.status, kind: assessment.kind, principal: principal,
                isOwnOrganisation: principal.homeOrganisationID == member.$organisation.id
            ).map(\.rawValue),
            version: assessment.version, history: Array(history), problems: problems, evidence: evidence,
            criterionOptions: framework.criteria.map {
                .init(
                    value: $0.criterion.code, label: "\($0.criterion.code): \($0.criterion.title)",
                    selected: $0.criterion.code == form.values["criterion"])
            },
            markings: SharingWebRoutes.markingOptions(
                req.markingScheme, reader: reader,
                selected: form.values["marking"] ?? req.markingScheme.defaultMarking(for: .evidence).level),
            groupOptions: try await SharingWebRoutes.groupOptions(reader, on: req.db),
            form: form, narrativeMarking: narratives.marking.description, narrativesWithheld: !narratives.readable,
            canRemark: narratives.readable
                && AssessmentService.canChangeNarrativeMarking(assessment, organisationID: member.$organisation.id, principal: principal))
    }

    func assessment(req: Request) async throws -> View {
        try await req.view.render("cycles/assessment", assessmentPage(req))
    }

    struct JudgementForm: Content {
        var level: String?
        var narrative: String?
        var rationale: String?
        var reason: String?
        var version: String?
    }

    func saveJudgement(req: Request) async throws -> Response {
        let context = try await req.assessmentInCycle()
        let form = try req.content.decode(JudgementForm.self)
        let criterion = try req.parameter("criterion", naming: "criterion")
        do {
            var level: Int?? = nil
            if let raw = form.level {
                if raw.isEmpty {
                    level = .some(nil)
                } else if let value = Int(raw) {
                    level = .some(value)
                } else {
                    throw FieldError("level", "Choose a level")
                }
            }
            _ = try await AssessmentService.setJudgement(
                criterion, in: context,
                change: .init(level: level, narrative: form.narrative, rationale: form.rationale, reason: form.reason),
                expectedVersion: form.version.flatMap(Int.init) ?? 0, reader: try await req.reader(), caller: req.caller, on: req.db)
            req.flash("Saved \(criterion)")
            return req.redirect(to: Self.assessmentPath(context) + "#\(criterion)")
        } catch {
            let problems = try FormState.problems(from: error)
            let page = try await assessmentPage(req, problems: problems.map { "\(criterion): \($0.message)" })
            return try await req.view.render("cycles/assessment", page).encodeResponse(status: FormState.status(of: error), for: req)
        }
    }

    /// Where an assessment's page is: every form on it comes back here.
    static func assessmentPath(_ context: AssessmentInCycle) -> String {
        SiteURL.assessment(.value(context.cycle.code), .value(context.member.organisation.code), .value(context.assessment.kind)).path
    }

    struct EvidenceUploadForm: Content {
        var criterion: String?; var title: String?; var marking: String?; var descriptors: String?; var groups: [String]?; var file: File?
    }

    func uploadEvidence(req: Request) async throws -> Response {
        let context = try await req.assessmentInCycle()
        _ = try await req.collectBody()
        let form = try req.content.decode(EvidenceUploadForm.self)
        do {
            let evidence = try await EvidenceService.upload(
                criterion: form.criterion ?? "", title: form.title, marking: form.marking, descriptors: form.descriptors,
                groups: form.groups?.joined(separator: ","), file: UploadedFile(form.file), to: context, reader: try await req.reader(),
                policy: SharedItemService.policy(req.application), caller: req.caller, on: req.db)
            req.flash("Evidence \(evidence.filename) added to \(evidence.criterionCode), marked \(evidence.marking)")
            return req.redirect(to: Self.assessmentPath(context) + "#evidence")
        } catch {
            let state = FormState(
                values: [
                    "criterion": form.criterion ?? "", "title": form.title ?? "", "marking": form.marking ?? "",
                    "descriptors": form.descriptors ?? "",
                ], problems: try FormState.problems(from: error))
            let page = try await assessmentPage(req, problems: state.problems.map(\.message), form: state)
            return try await req.view.render("cycles/assessment", page).encodeResponse(status: FormState.status(of: error), for: req)
        }
    }

    func downloadEvidence(req: Request) async throws -> Response {
        EvidenceService.download(
            try await EvidenceService.open(
                try req.parameter("evidence", as: UUID.self), reader: try await req.reader(),
                caller: req.caller, on: req.db))
    }

    struct MarkingForm: Content {
        var marking: String?; var descriptors: String?; var groups: [String]?; var reason: String?; var version: String?
    }

    func changeNarrativeMarking(req: Request) async throws -> Response {
        let context = try await req.assessmentInCycle()
        let form = try req.content.decode(MarkingForm.self)
        do {
            let marking = try await AssessmentService.changeNarrativeMarking(
                context, to: form.marking, descriptors: form.descriptors, groups: form.groups?.joined(separator: ","), reason: form.reason,
                expectedVersion: form.version.flatMap(Int.init) ?? context.assessment.version,
                reader: try await req.reader(), caller: req.caller, on: req.db)
            req.flash("The narratives are now marked \(marking)")
            return req.redirect(to: Self.assessmentPath(context))
        } catch {
            let page = try await assessmentPage(req, problems: try FormState.problems(from: error).map(\.message))
            return try await req.view.render("cycles/assessment", page).encodeResponse(status: FormState.status(of: error), for: req)
        }
    }

    struct TransitionForm: Content { var to: String?; var reason: String?; var version: String? }

    func transition(req: Request) async throws -> Response {
        let context = try await req.assessmentInCycle()
        let form = try req.content.decode(TransitionForm.self)
        do {
            guard let target = form.to.flatMap(AssessmentStatus.init(rawValue:)) else {
                throw FieldError("to", "Choose where to move the assessment")
            }
            try await AssessmentService.transition(
                context, to: target, expectedVersion: form.version.flatMap(Int.init) ?? 0, reason: form.reason,
                principal: try req.principal, caller: req.caller, on: req.db)
            req.flash("The \(context.assessment.kind.displayName.lowercased()) is now \(target.rawValue)")
            return req.redirect(to: Self.assessmentPath(context))
        } catch {
            let page = try await assessmentPage(req, problems: try FormState.problems(from: error).map(\.message))
            return try await req.view.render("cycles/assessment", page).encodeResponse(status: FormState.status(of: error), for: req)
        }
    }
}
