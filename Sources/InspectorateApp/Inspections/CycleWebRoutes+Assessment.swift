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
        /// The organisation's own level for this criterion, beside the inspectors' (inspections only).
        var ownLevel: String?
        var narrative, rationale: String
        var version: Int
        var options: [OrganisationWebRoutes.Option]
    }

    struct AssessmentPage: Encodable {
        var page: PageContext
        var cycle, organisation, kind, kindName, status: String
        var criteria: [CriterionForm]
        /// Whether the person may write levels now, and narratives too.
        var canEdit: Bool
        var canEditText: Bool
        var whyNot: String?
        var needsReason: Bool
        var showsOwnLevels: Bool
        var missing: [String]
        var transitions: [String]
        var version: Int
        var history: [HistoryLine]
        var problems: [String]
        var evidence: [EvidenceLine]
        var criterionOptions: [OrganisationWebRoutes.Option]
        var markings: [SharingWebRoutes.Option]
        var narrativeMarkings: [SharingWebRoutes.Option]
        var narrativeDescriptors: String
        var groupOptions: [SharingWebRoutes.Option]
        var form: FormState
        var narrativeMarking: String
        var narrativesWithheld: Bool
        var canRemark: Bool
        var cycleClosed: Bool
    }

    struct EvidenceLine: Encodable { var id: UUID; var criterion, title, filename, marking, size, uploaded: String }

    struct HistoryLine: Encodable { var what, change, reason, by, when: String }

    func assessmentPage(_ req: Request, problems: [String] = [], form: FormState = FormState()) async throws -> AssessmentPage {
        let context = try await req.assessmentInCycle()
        let (cycle, member, framework, assessment) = (context.cycle, context.member, context.framework, context.assessment)
        let principal = try req.principal
        let reader = try await req.reader()
        let narratives = try await NarrativeAccess.check(assessment, reader: reader, caller: req.caller, on: req.db)
        let clearance = NarrativeClearance(readable: narratives.readable, marking: narratives.marking.description)
        // What this person may do here, from the one rule; a reason is asked for on the form.
        let judging = AssessmentWorkflow.refusal(
            of: .judge(text: false, reason: "given"), on: context.state, by: principal, narratives: clearance)
        let judgingText = AssessmentWorkflow.refusal(
            of: .judge(text: true, reason: "given"), on: context.state, by: principal, narratives: clearance)
        let remarking = AssessmentWorkflow.refusal(of: .remark(lowering: false), on: context.state, by: principal, narratives: clearance)
        let byCode = Dictionary(assessment.loadedJudgements.map { ($0.criterionCode, $0) }, uniquingKeysWith: { a, _ in a })
        // Beside an inspection's levels, the organisation's own once it has submitted them (as
        // the picture and scorecard count them), for whoever may see both.
        var own: [String: Int] = [:]
        var showsOwnLevels = false
        if assessment.kind == .inspection
            && AccessRule.canView(
                assessment: .selfAssessment, status: .submitted, organisationID: context.organisationID, principal: principal)
        {
            let selfAssessment = try await AssessmentService.find(.selfAssessment, for: member, in: cycle, on: req.db)
            if selfAssessment.status != .draft {
                showsOwnLevels = true
                for judgement in selfAssessment.loadedJudgements { if let level = judgement.level { own[judgement.criterionCode] = level } }
            }
        }
        let name = { (level: Int) in "\(level) \(framework.levelName(level) ?? "")" }
        let criteria = framework.criteria.map { area, criterion in
            let judgement = byCode[criterion.code]
            return CriterionForm(
                code: criterion.code, title: criterion.title, area: area.title, level: judgement?.level,
                levelName: judgement?.level.map(name) ?? "Not yet judged",
                ownLevel: showsOwnLevels ? own[criterion.code].map(name) ?? "Not given" : nil,
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
        // Reasons concern the judgements, whose text is marked: they are withheld with it.
        let history = try await AssessmentService.history(of: assessment, readableAs: narratives, on: req.db).prefix(50).map { readable in
            let line = readable.line
            return HistoryLine(
                what: [line.criterionCode, line.field].compactMap { $0 }.joined(separator: " "),
                change: "\(Self.short(line.oldValue)) → \(Self.short(line.newValue))",
                reason: readable.reasonWithheld ? "(withheld: marked \(narratives.marking))" : readable.reason ?? "",
                by: line.changedBy?.displayName ?? "unknown", when: format.instant(line.changedAt))
        }
        let evidence = try await EvidenceService.list(of: assessment, reader: reader, on: req.db).map {
            EvidenceLine(
                id: try $0.requireID(), criterion: $0.criterionCode, title: $0.title, filename: $0.filename,
                marking: $0.marking.description,
                size: ByteCountFormatter.string(fromByteCount: Int64($0.size), countStyle: .file), uploaded: format.instant($0.uploadedAt))
        }
        let groups = try await SharingWebRoutes.groupOptions(reader, on: req.db)
        return AssessmentPage(
            page: .init(title: "\(assessment.kind.displayName): \(member.organisation.name)", req: req),
            cycle: cycle.code, organisation: member.organisation.code, kind: assessment.kind.rawValue,
            kindName: assessment.kind.displayName, status: assessment.status.displayName, criteria: criteria,
            canEdit: judging == nil, canEditText: judgingText == nil, whyNot: judging?.description,
            needsReason: assessment.status != .draft, showsOwnLevels: showsOwnLevels,
            missing: AssessmentWorkflow.missing(for: framework, entries: byCode.mapValues(\.entry), narratives: clearance),
            transitions: cycle.status == .closed
                ? []
                : AssessmentWorkflow.transitions(
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
            // The marking form starts from the marking the narratives have now.
            narrativeMarkings: SharingWebRoutes.markingOptions(
                req.markingScheme, reader: reader, selected: form.values["narrative_marking"] ?? narratives.marking.level),
            narrativeDescriptors: form.values["narrative_descriptors"] ?? narratives.marking.descriptors.joined(separator: ", "),
            groupOptions: groups.map { option in
                var option = option
                option.selected = narratives.record.requiredGroups.contains { $0.uuidString == option.value }
                return option
            },
            form: form, narrativeMarking: narratives.marking.description, narrativesWithheld: !narratives.readable,
            canRemark: remarking == nil, cycleClosed: cycle.status == .closed)
    }

    /// A history value as the page shows it: the first 60 characters.
    static func short(_ value: String?) -> String {
        guard let value else { return "(none)" }
        return value.isEmpty ? "(empty)" : String(value.prefix(60))
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
        let form = try req.form(JudgementForm.self)
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
        var criterion: String?; var title: String?; var marking: String?; var descriptors: String?; var groups: [String]?;
        var reason: String?
        var file: File?
    }

    func uploadEvidence(req: Request) async throws -> Response {
        let context = try await req.assessmentInCycle()
        _ = try await req.collectBody()
        let form = try req.form(EvidenceUploadForm.self)
        do {
            let evidence = try await EvidenceService.upload(
                criterion: form.criterion ?? "", title: form.title, marking: form.marking, descriptors: form.descriptors,
                groups: form.groups?.joined(separator: ","), file: UploadedFile(form.file), reason: form.reason, to: context,
                reader: try await req.reader(),
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
        var marking: String?; var descriptors: String?; var groups: [String]?; var reason: String?; var confirm_downgrade: String?
        var version: String?
    }

    func changeNarrativeMarking(req: Request) async throws -> Response {
        let context = try await req.assessmentInCycle()
        let form = try req.form(MarkingForm.self)
        do {
            let marking = try await AssessmentService.changeNarrativeMarking(
                context, to: form.marking, descriptors: form.descriptors, groups: form.groups?.joined(separator: ","), reason: form.reason,
                confirmedDowngrade: form.confirm_downgrade == "yes",
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
        let form = try req.form(TransitionForm.self)
        do {
            guard let target = form.to.flatMap(AssessmentStatus.init(rawValue:)) else {
                throw FieldError("to", "Choose where to move the assessment")
            }
            try await AssessmentService.transition(
                context, to: target, expectedVersion: form.version.flatMap(Int.init) ?? 0, reason: form.reason,
                reader: try await req.reader(), caller: req.caller, on: req.db)
            req.flash("The \(context.assessment.kind.displayName.lowercased()) is now \(target.rawValue)")
            return req.redirect(to: Self.assessmentPath(context))
        } catch {
            let page = try await assessmentPage(req, problems: try FormState.problems(from: error).map(\.message))
            return try await req.view.render("cycles/assessment", page).encodeResponse(status: FormState.status(of: error), for: req)
        }
    }
}
