import Fluent
import InspectorateCore
import Vapor

/// An organisation's assessments in a cycle through the API: read, judge, move through the
/// workflow, history, the narratives' marking and evidence.
struct AssessmentAPIRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.assessment(.key, .key, .key), use: assessment)
        routes.put(APIURL.judgement(.key, .key, .key, .key), use: setJudgement)
        routes.post(APIURL.assessmentTransitions(.key, .key, .key), use: transition)
        routes.get(APIURL.assessmentHistory(.key, .key, .key), use: history)
        routes.get(APIURL.assessmentEvidence(.key, .key, .key), use: evidence)
        routes.put(APIURL.narrativeMarking(.key, .key, .key), use: changeNarrativeMarking)
        routes.post(APIURL.evidenceUpload(.key, .key, .key, .key), body: .upload, use: uploadEvidence)
        routes.get(APIURL.evidenceContent(.key), use: downloadEvidence)
    }

    func assessment(req: Request) async throws -> AssessmentDTO {
        let context = try await req.assessmentInCycle()
        let reader = try await req.reader()
        let narratives = try await NarrativeAccess.check(context.assessment, reader: reader, caller: req.caller, on: req.db)
        return AssessmentDTO(
            context.assessment, cycle: context.cycle, member: context.member, framework: context.framework,
            judgements: context.assessment.loadedJudgements, narratives: narratives, reader: reader)
    }

    struct JudgementBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case level, narrative, rationale, reason, version }
        /// Absent: leave the level; `null`: clear it; a number: set it.
        var level: Int??
        var narrative: String?
        var rationale: String?
        var reason: String?
        var version: Int

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            if container.contains(.level) {
                level = .some(try container.decodeNil(forKey: .level) ? nil : container.decode(Int.self, forKey: .level))
            }
            narrative = try container.decodeIfPresent(String.self, forKey: .narrative)
            rationale = try container.decodeIfPresent(String.self, forKey: .rationale)
            reason = try container.decodeIfPresent(String.self, forKey: .reason)
            version = try container.decode(Int.self, forKey: .version)
        }
    }

    func setJudgement(req: Request) async throws -> JudgementDTO {
        let context = try await req.assessmentInCycle()
        let body = try req.strictBody(JudgementBody.self)
        let reader = try await req.reader()
        let state = try await AssessmentService.setJudgement(
            try req.parameter("criterion", naming: "criterion"), in: context,
            change: .init(level: body.level, narrative: body.narrative, rationale: body.rationale, reason: body.reason),
            expectedVersion: body.version, reader: reader, caller: req.caller, on: req.db)
        return JudgementDTO(state, reader: reader)
    }

    struct TransitionBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case to, reason, version }
        var to: AssessmentStatus
        var reason: String?
        var version: Int
    }

    func transition(req: Request) async throws -> AssessmentDTO {
        let context = try await req.assessmentInCycle()
        let body = try req.strictBody(TransitionBody.self)
        let reader = try await req.reader()
        try await AssessmentService.transition(
            context, to: body.to, expectedVersion: body.version, reason: body.reason, reader: reader, caller: req.caller, on: req.db)
        let narratives = try await NarrativeAccess.check(context.assessment, reader: reader, caller: req.caller, on: req.db)
        return AssessmentDTO(
            context.assessment, cycle: context.cycle, member: context.member, framework: context.framework,
            judgements: context.assessment.loadedJudgements, narratives: narratives, reader: reader)
    }

    struct HistoryEntry: Content {
        var criterion: String?
        var field: String
        var oldValue: String?
        var newValue: String?
        var reason: String?
        /// The reason is marked with the narratives and the caller's vetting does not cover it.
        var reasonWithheld: Bool
        var changedBy: String?
        var changedAt: Date
        enum CodingKeys: String, CodingKey {
            case criterion, field, reason
            case reasonWithheld = "reason_withheld"
            case oldValue = "old_value"
            case newValue = "new_value"
            case changedBy = "changed_by"
            case changedAt = "changed_at"
        }
    }

    struct HistoryResponse: Content { var history: [HistoryEntry] }

    func history(req: Request) async throws -> HistoryResponse {
        let context = try await req.assessmentInCycle()
        let narratives = try await NarrativeAccess.check(context.assessment, reader: try await req.reader(), caller: req.caller, on: req.db)
        return HistoryResponse(
            history: try await AssessmentService.history(of: context.assessment, readableAs: narratives, on: req.db).map {
                HistoryEntry(
                    criterion: $0.line.criterionCode, field: $0.line.field, oldValue: $0.line.oldValue, newValue: $0.line.newValue,
                    reason: $0.reason, reasonWithheld: $0.reasonWithheld, changedBy: $0.line.changedBy?.email,
                    changedAt: $0.line.changedAt)
            })
    }

    struct MarkingBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case marking, descriptors, groups, reason, confirm_downgrade, version }
        var marking: String?
        var descriptors: [String]?
        var groups: [UUID]?
        var reason: String?
        var confirm_downgrade: Bool?
        var version: Int?
    }

    struct NarrativeMarking: Content { var narrative_marking: MarkingDTO; var version: Int }

    func changeNarrativeMarking(req: Request) async throws -> NarrativeMarking {
        let context = try await req.assessmentInCycle()
        let body = try req.strictBody(MarkingBody.self)
        let marking = try await AssessmentService.changeNarrativeMarking(
            context, to: body.marking, descriptors: body.descriptors?.joined(separator: ","),
            groups: body.groups?.map(\.uuidString).joined(separator: ","), reason: body.reason,
            confirmedDowngrade: body.confirm_downgrade ?? false,
            expectedVersion: body.version ?? context.assessment.version,
            reader: try await req.reader(), caller: req.caller, on: req.db)
        return NarrativeMarking(narrative_marking: MarkingDTO(marking), version: context.assessment.version)
    }

    struct EvidenceList: Content { var evidence: [EvidenceDTO] }

    /// The assessment's evidence that the caller's vetting covers; the rest is left out.
    func evidence(req: Request) async throws -> EvidenceList {
        let context = try await req.assessmentInCycle()
        return EvidenceList(
            evidence: try await EvidenceService.list(of: context.assessment, reader: try await req.reader(), on: req.db).map {
                try EvidenceDTO($0)
            })
    }

    struct EvidenceForm: Content {
        var title: String?; var marking: String?; var descriptors: String?; var groups: String?; var reason: String?; var file: File?
    }

    func uploadEvidence(req: Request) async throws -> Response {
        let context = try await req.assessmentInCycle()
        guard req.headers.contentType?.type == "multipart" else {
            throw HTTPProblem.unsupportedMediaType("Send the file as multipart/form-data with title, marking and a file part")
        }
        _ = try await req.collectBody()
        let form = try req.form(EvidenceForm.self)
        let evidence = try await EvidenceService.upload(
            criterion: try req.parameter("criterion", naming: "criterion"), title: form.title, marking: form.marking,
            descriptors: form.descriptors, groups: form.groups, file: UploadedFile(form.file), reason: form.reason, to: context,
            reader: try await req.reader(), policy: SharedItemService.policy(req.application),
            caller: req.caller, on: req.db)
        return try await EvidenceDTO(evidence).encodeResponse(status: .created, for: req)
    }

    func downloadEvidence(req: Request) async throws -> Response {
        EvidenceService.download(
            try await EvidenceService.open(
                try req.parameter("evidence", as: UUID.self, naming: "evidence"), reader: try await req.reader(), caller: req.caller,
                on: req.db))
    }
}

extension Request {
    /// The assessment the path names (`:cycle`, `:organisation`, `:kind`), if this person may
    /// see it: what every assessment route, page or API, opens first.
    func assessmentInCycle() async throws -> AssessmentInCycle {
        guard let kind = AssessmentKind(rawValue: try parameter("kind", naming: "assessment")) else {
            throw DomainError.notFound("assessment")
        }
        return try await AssessmentAccess.open(
            cycle: try parameter("cycle", naming: "cycle"),
            organisation: try parameter("organisation", naming: "organisation in this cycle"),
            kind: kind, principal: try principal, on: db)
    }

    /// The cycle and organisation the path names, if this person may see them.
    func memberInCycle() async throws -> (Cycle, CycleOrganisation, Framework) {
        try await AssessmentAccess.member(
            cycle: try parameter("cycle", naming: "cycle"),
            organisation: try parameter("organisation", naming: "organisation in this cycle"),
            scope: try organisationScope, on: db)
    }
}
