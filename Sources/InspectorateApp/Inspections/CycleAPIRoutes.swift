import Vapor
import Fluent
import InspectorateCore

struct CycleAPIRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let cycles = routes.grouped("cycles")
        cycles.get(use: list)
        cycles.grouped(RequirePermission(allowed: AccessRule.canCreateCycles)).post(use: create)
        cycles.get(":cycle", use: show)
        cycles.get(":cycle", "picture", use: picture)
        cycles.get(":cycle", "export", use: export)
        cycles.grouped(RequirePermission(allowed: AccessRule.canCreateCycles)).post(":cycle", "carry-forward", use: carryForward)
        cycles.grouped(RequirePermission(allowed: AccessRule.canGrade))
            .on(.POST, ":cycle", "judgements", body: .collect(maxSize: "50mb"), use: importJudgements)
        let member = cycles.grouped(":cycle", "organisations", ":organisation")
        member.put("tier", use: setTier)
        member.get("tier", "history", use: tierHistory)
        member.get("assessments", ":kind", use: assessment)
        member.put("assessments", ":kind", "judgements", ":criterion", use: setJudgement)
        member.post("assessments", ":kind", "transitions", use: transition)
        member.get("assessments", ":kind", "history", use: history)
        member.get("assessments", ":kind", "evidence", use: evidence)
        member.put("assessments", ":kind", "marking", use: changeNarrativeMarking)
        member.on(.POST, "assessments", ":kind", "judgements", ":criterion", "evidence", body: .collect(maxSize: "64mb"), use: uploadEvidence)
        routes.get("evidence", ":evidence", "content", use: downloadEvidence)
    }

    struct MarkingBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case marking, descriptors, groups, reason, version }
        var marking: String?
        var descriptors: [String]?
        var groups: [UUID]?
        var reason: String?
        var version: Int?
    }

    struct NarrativeMarking: Content { var narrative_marking: MarkingDTO; var version: Int }

    func changeNarrativeMarking(req: Request) async throws -> NarrativeMarking {
        let (_, member, _, assessment) = try await visibleAssessment(req)
        let body = try req.strictBody(MarkingBody.self)
        let marking = try await AssessmentService.changeNarrativeMarking(assessment, organisationID: member.$organisation.id, to: body.marking,
                                                                         descriptors: body.descriptors?.joined(separator: ","),
                                                                         groups: body.groups?.map(\.uuidString).joined(separator: ","), reason: body.reason,
                                                                         expectedVersion: body.version ?? assessment.version,
                                                                         reader: try await req.reader(), actor: req.auditActor, on: req.db)
        return NarrativeMarking(narrative_marking: MarkingDTO(marking), version: assessment.version)
    }

    struct EvidenceList: Content { var evidence: [EvidenceDTO] }

    /// The assessment's evidence that the caller's vetting covers; the rest is left out.
    func evidence(req: Request) async throws -> EvidenceList {
        let (_, _, _, assessment) = try await visibleAssessment(req)
        return EvidenceList(evidence: try await EvidenceService.list(of: assessment, reader: try await req.reader(), on: req.db).map(EvidenceDTO.init))
    }

    struct EvidenceForm: Content { var title: String?; var marking: String?; var descriptors: String?; var groups: String?; var file: File? }

    func uploadEvidence(req: Request) async throws -> Response {
        let (_, member, framework, assessment) = try await visibleAssessment(req)
        guard AssessmentWorkflow.canEdit(assessment.kind, status: assessment.status, organisationID: member.$organisation.id, principal: try req.principal) else {
            throw AppError.forbidden(assessment.status.isLocked ? "This assessment is final and locked"
                                     : "You cannot add evidence to this \(assessment.kind.displayName.lowercased()) while it is \(assessment.status.rawValue)")
        }
        guard req.headers.contentType?.type == "multipart" else {
            throw AppError(status: .unsupportedMediaType, code: "unsupported_media_type", message: "Send the file as multipart/form-data with title, marking and a file part")
        }
        let form = try? req.content.decode(EvidenceForm.self)
        let file = UploadedFile(form?.file)
        let evidence = try await EvidenceService.upload(criterion: req.parameters.get("criterion")!, title: form?.title, marking: form?.marking,
                                                        descriptors: form?.descriptors, groups: form?.groups, file: file, to: assessment, framework: framework,
                                                        reader: try await req.reader(), policy: SharedItemService.policy(req.application),
                                                        actor: req.auditActor, on: req.db)
        return try await EvidenceDTO(evidence).encodeResponse(status: .created, for: req)
    }

    func downloadEvidence(req: Request) async throws -> Response {
        EvidenceService.download(try await EvidenceService.open(req.parameters.get("evidence", as: UUID.self), reader: try await req.reader(),
                                                                actor: req.auditActor, on: req.db))
    }

    struct ListResponse: Content { var cycles: [CycleDTO] }

    func list(req: Request) async throws -> ListResponse {
        let scope = try req.organisationScope
        let counts = try await CycleService.memberCounts(scope: scope, on: req.db)
        return ListResponse(cycles: try await CycleService.list(scope: scope, on: req.db).map { CycleDTO($0, organisations: counts[$0.id!] ?? 0) })
    }

    struct CreateBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable {
            case code, title, framework, self_assessment_due, fieldwork_start, fieldwork_end, moderation_due, publication, organisations, previous
        }
        var code: String
        var title: String
        var framework: String
        var self_assessment_due: String
        var fieldwork_start: String
        var fieldwork_end: String
        var moderation_due: String
        var publication: String
        var organisations: [String]?
        var previous: String?
    }

    func create(req: Request) async throws -> Response {
        let body = try req.strictBody(CreateBody.self)
        let cycle = try await CycleService.create(CycleInput(
            code: body.code, title: body.title, framework: body.framework, selfAssessmentDue: body.self_assessment_due,
            fieldworkStart: body.fieldwork_start, fieldworkEnd: body.fieldwork_end, moderationDue: body.moderation_due,
            publication: body.publication, organisations: body.organisations, previous: body.previous), actor: req.auditActor, on: req.db)
        _ = try await cycle.$framework.get(on: req.db)
        let count = try await CycleOrganisation.query(on: req.db).filter(\.$cycle.$id == cycle.requireID()).count()
        return try await CycleDTO(cycle, organisations: count).encodeResponse(status: .created, for: req)
    }

    struct CycleDetail: Content {
        struct Member: Content { var organisation: String; var name: String; var tier: String? }
        var cycle: CycleDTO
        var organisations: [Member]
    }

    func show(req: Request) async throws -> CycleDetail {
        let scope = try req.organisationScope
        let cycle = try await CycleService.require(code: req.parameters.get("cycle")!, scope: scope, on: req.db)
        let members = try await CycleService.members(of: cycle, scope: scope, on: req.db)
        return CycleDetail(cycle: CycleDTO(cycle, organisations: members.count),
                           organisations: members.map { .init(organisation: $0.organisation.code, name: $0.organisation.name, tier: $0.tierCode) })
    }

    /// The summary over every organisation the filters select, and one page of rows.
    func picture(req: Request) async throws -> PictureDTO {
        let scope = try req.organisationScope
        let cycle = try await CycleService.require(code: req.parameters.get("cycle")!, scope: scope, on: req.db)
        let framework = try cycle.framework.framework()
        let filters = try NationalPictureService.Filters(region: req.query["region"], kind: req.query["kind"], tier: req.query["tier"])
        let limit: Int = req.query["limit"] ?? 100
        guard (1...1000).contains(limit) else { throw AppError.invalid("limit", "limit must be between 1 and 1000") }
        let sort = try NationalPictureService.Sort(req.query["sort"])
        let descending = try NationalPictureService.descending(req.query["order"])
        let page = try await NationalPictureService.page(of: cycle, framework: framework, filters: filters, scope: scope,
                                                         after: req.query["after"], limit: limit, sort: sort, descending: descending, on: req.db)
        let summary = try await NationalPictureService.summary(of: cycle, framework: framework, filters: filters, scope: scope, on: req.db)
        return PictureDTO(cycle: cycle, framework: framework, summary: summary, rows: page.rows, next: page.next)
    }

    /// Every judgement the user may see, one row per organisation, assessment and criterion.
    func export(req: Request) async throws -> Response {
        let scope = try req.organisationScope
        let cycle = try await CycleService.require(code: req.parameters.get("cycle")!, scope: scope, on: req.db)
        let csv = try await CycleExport.csv(of: cycle, principal: try req.principal, scope: scope, on: req.db)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(cycle.code)-judgements.csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: csv))
    }

    struct CarryForwardBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case assessment }
        var assessment: AssessmentKind?
    }

    func carryForward(req: Request) async throws -> CarryForward.Report {
        let cycle = try await CycleService.require(code: req.parameters.get("cycle")!, scope: .all, on: req.db)
        let body = try req.strictBody(CarryForwardBody.self)
        return try await CarryForward.run(into: cycle, kind: body.assessment ?? .inspection, by: try req.currentUser, actor: req.auditActor, on: req.db)
    }

    /// Inspectors grading in spreadsheets: one row per organisation and criterion.
    func importJudgements(req: Request) async throws -> JudgementImport.Outcome {
        let cycle = try await CycleService.require(code: req.parameters.get("cycle")!, scope: try req.organisationScope, on: req.db)
        guard let type = req.headers.contentType, type.type == "text", type.subType == "csv" else {
            throw AppError(status: .unsupportedMediaType, code: "unsupported_media_type", message: "Send the judgements as CSV with 'Content-Type: text/csv'")
        }
        guard let buffer = req.body.data, buffer.readableBytes > 0 else { throw AppError.invalid("body", "The request body is empty; send the CSV") }
        let dryRun: String? = req.query["dry_run"]
        guard [nil, "true", "false"].contains(dryRun) else { throw AppError.invalid("dry_run", "dry_run must be true or false") }
        return try await JudgementImport.run(.bytes(Array(buffer.readableBytesView)), cycle: cycle, kind: .inspection,
                                             dryRun: dryRun == "true", by: try req.currentUser, actor: req.auditActor, on: req.db)
    }

    /// The cycle and organisation named in the path, as this person may see them.
    func context(_ req: Request) async throws -> (Cycle, CycleOrganisation, Framework) {
        let scope = try req.organisationScope
        let cycle = try await CycleService.require(code: req.parameters.get("cycle")!, scope: scope, on: req.db)
        let member = try await CycleService.member(of: cycle, organisation: req.parameters.get("organisation")!, scope: scope, on: req.db)
        return (cycle, member, try cycle.framework.framework())
    }

    struct TierBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case tier, rationale, marking, descriptors, groups }
        var tier: String
        var rationale: String
        var marking: String?
        var descriptors: [String]?
        var groups: [UUID]?
    }

    func setTier(req: Request) async throws -> TierChangeDTO {
        let (cycle, member, _) = try await context(req)
        guard AccessRule.canSetRiskTier(try req.principal) else {
            throw AppError.forbidden("Risk tiers are set by analysts and lead inspectors")
        }
        let body = try req.strictBody(TierBody.self)
        let change = try await RiskTierService.assign(tier: body.tier, rationale: body.rationale, marking: body.marking,
                                                      descriptors: body.descriptors?.joined(separator: ","),
                                                      groups: body.groups?.map(\.uuidString).joined(separator: ","), to: member, in: cycle,
                                                      reader: try await req.reader(), actor: req.auditActor, on: req.db)
        change.$changedBy.value = try req.currentUser
        return TierChangeDTO(change)
    }

    struct TierHistory: Content { var tier: String?; var changes: [TierChangeDTO] }

    func tierHistory(req: Request) async throws -> TierHistory {
        let (cycle, member, _) = try await context(req)
        guard AccessRule.canReadTierRationale(try req.principal) else { throw AppError.notFound("tier history") }
        return TierHistory(tier: member.tierCode, changes: try await RiskTierService.history(of: member, in: cycle, reader: try await req.reader(),
                                                                                              actor: req.auditActor, on: req.db).map(TierChangeDTO.init))
    }

    func kind(_ req: Request) throws -> AssessmentKind {
        guard let kind = AssessmentKind(rawValue: req.parameters.get("kind") ?? "") else { throw AppError.notFound("assessment") }
        return kind
    }

    /// The assessment named in the path, if this person may see it.
    func visibleAssessment(_ req: Request) async throws -> (Cycle, CycleOrganisation, Framework, Assessment) {
        let (cycle, member, framework) = try await context(req)
        let assessment = try await AssessmentService.assessment(try kind(req), for: member, in: cycle, on: req.db)
        guard AccessRule.canView(assessment: assessment.kind, status: assessment.status, organisationID: member.$organisation.id, principal: try req.principal) else {
            throw AppError.notFound("assessment")
        }
        return (cycle, member, framework, assessment)
    }

    func assessment(req: Request) async throws -> AssessmentDTO {
        let (cycle, member, framework, assessment) = try await visibleAssessment(req)
        let narratives = try await NarrativeAccess.check(assessment, reader: try await req.reader(), actor: req.auditActor, on: req.db)
        return AssessmentDTO(assessment, cycle: cycle, member: member, framework: framework, judgements: assessment.judgements, narratives: narratives)
    }

    struct JudgementBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case level, narrative, rationale, reason, version }
        var level: Int?
        var narrative: String?
        var rationale: String?
        var reason: String?
        var version: Int
    }

    func setJudgement(req: Request) async throws -> JudgementDTO {
        let (cycle, member, framework, assessment) = try await visibleAssessment(req)
        guard AssessmentWorkflow.canEdit(assessment.kind, status: assessment.status, organisationID: member.$organisation.id, principal: try req.principal) else {
            throw AppError.forbidden(assessment.status.isLocked ? "This assessment is final and locked"
                                     : "You cannot change this \(assessment.kind.displayName.lowercased()) while it is \(assessment.status.rawValue)")
        }
        let body = try req.strictBody(JudgementBody.self)
        let reader = try await req.reader()
        try await assessment.narrativeRecord(in: reader.scheme, on: req.db).readable(by: reader).requireReadable(changing: body.narrative, body.rationale)
        let criterion = req.parameters.get("criterion")!
        let judgement = try await AssessmentService.setJudgement(
            criterion, in: assessment,
            change: .init(level: body.level.map { .some($0) }, narrative: body.narrative, rationale: body.rationale, reason: body.reason),
            expectedVersion: body.version, framework: framework, tier: member.tierCode.flatMap(framework.tier),
            by: try req.currentUser, actor: req.auditActor, on: req.db)
        _ = cycle
        return JudgementDTO(judgement, descriptor: framework.criteria.first { $0.criterion.code == criterion }!.criterion)
    }

    struct TransitionBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case to, reason, version }
        var to: AssessmentStatus
        var reason: String?
        var version: Int
    }

    func transition(req: Request) async throws -> AssessmentDTO {
        let (cycle, member, framework, assessment) = try await visibleAssessment(req)
        let body = try req.strictBody(TransitionBody.self)
        let principal = try req.principal
        try await AssessmentService.transition(assessment, to: body.to, expectedVersion: body.version, reason: body.reason, framework: framework,
                                               principal: principal, isOwnOrganisation: principal.homeOrganisationID == member.$organisation.id,
                                               by: try req.currentUser, actor: req.auditActor, on: req.db)
        let judgements = try await Judgement.query(on: req.db).filter(\.$id.$assessment.$id == assessment.requireID()).all()
        let narratives = try await NarrativeAccess.check(assessment, reader: try await req.reader(), actor: req.auditActor, on: req.db)
        return AssessmentDTO(assessment, cycle: cycle, member: member, framework: framework, judgements: judgements, narratives: narratives)
    }

    struct HistoryEntry: Content {
        var criterion: String?
        var field: String
        var oldValue: String?
        var newValue: String?
        var reason: String?
        var changedBy: String?
        var changedAt: Date
        enum CodingKeys: String, CodingKey {
            case criterion, field, reason
            case oldValue = "old_value"
            case newValue = "new_value"
            case changedBy = "changed_by"
            case changedAt = "changed_at"
        }
    }

    struct HistoryResponse: Content { var history: [HistoryEntry] }

    func history(req: Request) async throws -> HistoryResponse {
        let (_, _, _, assessment) = try await visibleAssessment(req)
        let narratives = try await NarrativeAccess.check(assessment, reader: try await req.reader(), actor: req.auditActor, on: req.db)
        return HistoryResponse(history: try await AssessmentService.history(of: assessment, on: req.db)
            .filter { narratives.readable || !AssessmentService.narrativeFields.contains($0.field) }.map {
            HistoryEntry(criterion: $0.criterionCode, field: $0.field, oldValue: $0.oldValue, newValue: $0.newValue,
                         reason: $0.reason, changedBy: $0.changedBy?.email, changedAt: $0.changedAt)
        })
    }
}
