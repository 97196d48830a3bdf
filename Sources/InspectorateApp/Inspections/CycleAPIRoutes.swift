import Fluent
import InspectorateCore
import Vapor

/// Cycles through the API: list, create, one cycle, its national picture, its export, bulk
/// judgement import and carrying a cycle forward.
struct CycleAPIRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.cycles, use: list)
        routes.guarded(by: .createCycles).post(APIURL.cycles, use: create)
        routes.get(APIURL.cycle(.key), use: show)
        routes.get(APIURL.picture(.key), use: picture)
        routes.get(APIURL.cycleExport(.key), use: export)
        routes.guarded(by: .createCycles).post(APIURL.carryForward(.key), use: carryForward)
        routes.post(APIURL.judgementImport(.key), body: .bulkImport, use: importJudgements)
        routes.post(APIURL.cycleTransitions(.key), use: moveMany)
        routes.guarded(by: .createCycles).put(APIURL.cycleStatus(.key), use: setStatus)
        routes.guarded(by: .createCycles).put(APIURL.cycleDeadlines(.key), use: setDeadlines)
    }

    struct ListResponse: Content { var cycles: [CycleDTO] }

    func list(req: Request) async throws -> ListResponse {
        let scope = try req.organisationScope
        let counts = try await CycleService.memberCounts(scope: scope, on: req.db)
        return ListResponse(
            cycles: try await CycleService.list(scope: scope, on: req.db).map {
                CycleDTO($0, organisations: counts[try $0.requireID()] ?? 0)
            })
    }

    struct CreateBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable {
            case code, title, framework, self_assessment_due, fieldwork_start, fieldwork_end, moderation_due, publication, organisations,
                previous, deadlines
        }
        /// The day each tier's minimum is required in this cycle, by tier code.
        var deadlines: [String: String]?
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
        let cycle = try await CycleService.create(
            CycleInput(
                code: body.code, title: body.title, framework: body.framework, selfAssessmentDue: body.self_assessment_due,
                fieldworkStart: body.fieldwork_start, fieldworkEnd: body.fieldwork_end, moderationDue: body.moderation_due,
                publication: body.publication, organisations: body.organisations, previous: body.previous, deadlines: body.deadlines ?? [:]),
            caller: req.caller, on: req.db)
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
        let cycle = try await CycleService.require(code: try req.parameter("cycle"), scope: scope, on: req.db)
        let members = try await CycleService.members(of: cycle, scope: scope, on: req.db)
        return CycleDetail(
            cycle: CycleDTO(cycle, organisations: members.count),
            organisations: members.map { .init(organisation: $0.organisation.code, name: $0.organisation.name, tier: $0.tierCode) })
    }

    /// The summary over every organisation the filters select, and one page of rows.
    func picture(req: Request) async throws -> PictureDTO {
        let scope = try req.organisationScope
        let cycle = try await CycleService.require(code: try req.parameter("cycle"), scope: scope, on: req.db)
        let framework = try cycle.framework.framework()
        let filters = try NationalPictureService.Filters(region: req.query["region"], kind: req.query["kind"], tier: req.query["tier"])
        let limit = try req.queryInteger("limit", default: 100, in: 1...1000)
        let sort = try NationalPictureService.Sort(req.query["sort"])
        let descending = try NationalPictureService.descending(req.query["order"])
        let page = try await NationalPictureService.page(
            of: cycle, framework: framework, filters: filters, scope: scope, staff: scope == .all,
            after: req.query["after"], limit: limit, sort: sort, descending: descending, on: req.db)
        let summary = try await NationalPictureService.summary(of: cycle, framework: framework, filters: filters, scope: scope, on: req.db)
        return PictureDTO(cycle: cycle, framework: framework, summary: summary, rows: page.rows, next: page.next)
    }

    /// Every judgement the user may see, one row per organisation, assessment and criterion.
    func export(req: Request) async throws -> Response {
        try await CycleExport.download(req)
    }

    struct CarryForwardBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case assessment }
        var assessment: AssessmentKind?
    }

    func carryForward(req: Request) async throws -> CarryForward.Report {
        let cycle = try await CycleService.require(code: try req.parameter("cycle"), scope: .all, on: req.db)
        let body = try req.strictBody(CarryForwardBody.self)
        return try await CarryForward.run(
            into: cycle, kind: body.assessment ?? .inspection, reader: try await req.reader(), caller: req.caller, on: req.db)
    }

    struct MoveBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case assessment, to, reason, organisations, from }
        var assessment: AssessmentKind?
        var to: AssessmentStatus
        var reason: String?
        /// The organisations whose assessments to move, by code…
        var organisations: [String]?
        /// …or every assessment now in this status.
        var from: AssessmentStatus?
    }

    /// Many assessments moved in one action, all or none, every refusal listed.
    func moveMany(req: Request) async throws -> BulkWorkflow.Outcome {
        let cycle = try await CycleService.require(code: try req.parameter("cycle"), scope: try req.organisationScope, on: req.db)
        let body = try req.strictBody(MoveBody.self)
        let selection: BulkWorkflow.Selection
        switch (body.organisations, body.from) {
        case (let codes?, nil): selection = .organisations(codes)
        case (nil, let status?): selection = .inStatus(status)
        default: throw FieldError("organisations", "Give either organisations (codes) or from (a status), not both")
        }
        return try await BulkWorkflow.move(
            in: cycle, kind: body.assessment ?? .inspection, selection: selection, to: body.to, reason: body.reason,
            reader: try await req.reader(), caller: req.caller, on: req.db)
    }

    struct StatusBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case status, reason, version }
        var status: CycleStatus
        var reason: String?
        var version: Int?
    }

    func setStatus(req: Request) async throws -> CycleDTO {
        let cycle = try await CycleService.require(code: try req.parameter("cycle"), scope: try req.organisationScope, on: req.db)
        let body = try req.strictBody(StatusBody.self)
        try await CycleService.setStatus(
            cycle, to: body.status, reason: body.reason, expectedVersion: body.version, reader: try await req.reader(), caller: req.caller,
            on: req.db)
        let count = try await CycleOrganisation.query(on: req.db).filter(\.$cycle.$id == cycle.requireID()).count()
        return CycleDTO(cycle, organisations: count)
    }

    struct DeadlinesBody: StrictBody {
        enum Keys: String, CodingKey, CaseIterable { case deadlines, version }
        /// Tier code to YYYY-MM-DD; an empty date returns the tier to the framework's.
        var deadlines: [String: String]
        var version: Int?
    }

    func setDeadlines(req: Request) async throws -> CycleDTO {
        let cycle = try await CycleService.require(code: try req.parameter("cycle"), scope: try req.organisationScope, on: req.db)
        let body = try req.strictBody(DeadlinesBody.self)
        try await CycleService.setDeadlines(
            cycle, to: body.deadlines, expectedVersion: body.version, reader: try await req.reader(), caller: req.caller, on: req.db)
        let count = try await CycleOrganisation.query(on: req.db).filter(\.$cycle.$id == cycle.requireID()).count()
        return CycleDTO(cycle, organisations: count)
    }

    /// Inspectors grading in spreadsheets: one row per organisation and criterion.
    func importJudgements(req: Request) async throws -> JudgementImport.Outcome {
        let cycle = try await CycleService.require(code: try req.parameter("cycle"), scope: try req.organisationScope, on: req.db)
        guard let type = req.headers.contentType, type.type == "text", type.subType == "csv" else {
            throw HTTPProblem.unsupportedMediaType("Send the judgements as CSV with 'Content-Type: text/csv'")
        }
        let buffer = try await req.collectBody()
        guard buffer.readableBytes > 0 else { throw FieldError("body", "The request body is empty; send the CSV") }
        let dryRun: String? = req.query["dry_run"]
        guard [nil, "true", "false"].contains(dryRun) else { throw FieldError("dry_run", "dry_run must be true or false") }
        let kindText: String = req.query["assessment"] ?? AssessmentKind.inspection.rawValue
        guard let kind = AssessmentKind(rawValue: kindText) else { throw FieldError("assessment", "assessment is inspection or self") }
        return try await JudgementImport.run(
            .bytes(Array(buffer.readableBytesView)), cycle: cycle, kind: kind, dryRun: dryRun == "true", writer: try await req.reader(),
            reason: req.query["reason"], caller: req.caller, on: req.db)
    }
}
