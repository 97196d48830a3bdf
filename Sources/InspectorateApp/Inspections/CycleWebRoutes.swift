import Fluent
import InspectorateCore
import Vapor

/// Pages for cycles: the list, the national picture, an organisation's scorecard, and the
/// assessment pages where judgements are entered and moved through the workflow.
struct CycleWebRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.cycles, use: index)
        let starters = routes.guarded(by: .createCycles)
        starters.get(SiteURL.cycleNew, use: newCycle)
        starters.post(SiteURL.cycles, use: createCycle)
        starters.post(SiteURL.cycleCarryForward(.key), use: carryForward)
        routes.get(SiteURL.cycle(.key), use: picture)
        routes.get(SiteURL.cycleExport(.key), use: export)
        routes.get(SiteURL.cycleWorkflow(.key), use: workflow)
        routes.post(SiteURL.cycleWorkflow(.key), use: moveMany)
        starters.post(SiteURL.cycleStatus(.key), use: setStatus)
        starters.post(SiteURL.cycleDeadlines(.key), use: setDeadlines)
        routes.get(SiteURL.scorecard(.key, .key), use: scorecard)
        routes.post(SiteURL.riskTier(.key, .key), use: setTier)
        routes.get(SiteURL.assessment(.key, .key, .key), use: assessment)
        routes.post(SiteURL.judgement(.key, .key, .key, .key), use: saveJudgement)
        routes.post(SiteURL.assessmentTransitions(.key, .key, .key), use: transition)
        routes.post(SiteURL.evidenceUpload(.key, .key, .key), body: .upload, use: uploadEvidence)
        routes.post(SiteURL.narrativeMarking(.key, .key, .key), use: changeNarrativeMarking)
        routes.get(SiteURL.evidence(.key), use: downloadEvidence)
    }

    func index(req: Request) async throws -> View {
        struct Row: Encodable { var code, title, framework, selfAssessmentDue, publication: String; var organisations: Int }
        struct Page: Encodable { var page: PageContext; var rows: [Row]; var canStart: Bool }
        let scope = try req.organisationScope
        let counts = try await CycleService.memberCounts(scope: scope, on: req.db)
        let rows = try await CycleService.list(scope: scope, on: req.db).map { cycle in
            Row(
                code: cycle.code, title: cycle.title, framework: cycle.framework.reference, selfAssessmentDue: cycle.selfAssessmentDue,
                publication: cycle.publication, organisations: counts[try cycle.requireID()] ?? 0)
        }
        return try await req.view.render(
            "cycles/index",
            Page(
                page: .init(title: "Inspection cycles", req: req), rows: rows,
                canStart: AccessRule.canCreateCycles(try req.principal)))
    }

    struct Cell: Encodable { var level: String; var short: Bool }
    struct PictureRowView: Encodable {
        var organisation, name: String
        var region, tier: String?
        var cells: [Cell]
        var stage: String
        var meets: String
        var movement: String
        /// Where the inspection stands, for the inspectorate's own staff.
        var status: String?
    }
    struct AreaSummary: Encodable { var title: String; var meeting: Int; var calibration: String; var movement: String }
    struct StageCount: Encodable { var name: String; var count: Int }
    struct TierDeadline: Encodable { var name: String; var date: String }

    func picture(req: Request) async throws -> View {
        struct Page: Encodable {
            var page: PageContext
            var code: String
            var cycleTitle: String
            var framework: String
            var areas: [String]
            var rows: [PictureRowView]
            var heatmap: String
            var summary: PictureSummary
            var staff: Bool
            var areaSummaries: [AreaSummary]
            var stages: [StageCount]
            var regions, kinds, tiers: [OrganisationWebRoutes.Option]
            var problems: [FormState.Problem]
            var firstPage: String
            var previous: String?
            var canCarryForward: Bool
            var next: String?
            var first: Bool
            var sortLinks: [String: String]
            var sortedBy: String
            var sortedDescending: Bool
            /// The CSV download for the same filters.
            var exportLink: String
            /// Each tier and the day its minimum is required by in this cycle.
            var deadlines: [TierDeadline]
        }
        let scope = try req.organisationScope
        let staff = scope == .all
        let cycle = try await CycleService.require(code: try req.parameter("cycle"), scope: scope, on: req.db)
        let framework = try cycle.framework.framework()
        let region: String? = req.query["region"], kind: String? = req.query["kind"], tier: String? = req.query["tier"]
        var problems: [FieldError] = []
        var filters = try NationalPictureService.Filters(region: nil, kind: nil, tier: nil)
        do { filters = try NationalPictureService.Filters(region: region, kind: kind, tier: tier) } catch let error as FieldError {
            problems.append(error)
        }
        // A page of organisations at a time: inspectorates beyond policing grade tens of thousands.
        let after: String? = req.query["after"]
        var sort = NationalPictureService.Sort.name
        var descending = false
        do {
            sort = try NationalPictureService.Sort(req.query["sort"])
            descending = try NationalPictureService.descending(req.query["order"])
        } catch let error as FieldError { problems.append(error) }
        var found: (rows: [PictureRow], next: String?) = ([], nil)
        do {
            found = try await NationalPictureService.page(
                of: cycle, framework: framework, filters: filters, scope: scope, staff: staff, after: after, limit: 100,
                sort: sort, descending: descending, on: req.db)
        } catch let error as FieldError {
            problems.append(error)
            filters.tier = nil
            found = try await NationalPictureService.page(
                of: cycle, framework: framework, filters: filters, scope: scope, staff: staff, after: after, limit: 100,
                sort: sort, descending: descending, on: req.db)
        }
        let rows = found.rows
        let summary = try await NationalPictureService.summary(of: cycle, framework: framework, filters: filters, scope: scope, on: req.db)
        let views = rows.map { row in
            let tierDefinition = row.tier.flatMap(framework.tier)
            return PictureRowView(
                organisation: row.organisation, name: row.name, region: row.region, tier: row.tier.flatMap { framework.tier($0)?.name },
                cells: framework.areas.map { area in
                    let level = row.areaLevels[area.code]
                    return Cell(
                        level: level.map { "\($0)" } ?? "–",
                        short: level.map { $0 < (tierDefinition?.minimums[area.code] ?? framework.levels.lowerBound) } ?? false)
                },
                stage: row.overallStage.map { "\($0) \(framework.levelName($0) ?? "")" } ?? "Not yet inspected",
                meets: row.meetsMinimum.map { $0 ? "Yes" : "No" } ?? (row.tier == nil ? "Tier not set" : "Not yet inspected"),
                movement: Self.describe(framework.movement(previous: row.previousAreaLevels, current: row.areaLevels)),
                status: row.inspectionStatus.map { $0 == .final ? "Final" : "\($0.displayName) (not yet final)" }
                    ?? (staff ? "Not started" : nil))
        }
        let here = SiteURL.cycle(.value(cycle.code))
        let filterItems: [(String, String?)] = [("region", filters.region), ("kind", filters.kind?.rawValue), ("tier", filters.tier)]
        let queryItems =
            filterItems + (sort == .name && !descending ? [] : [("sort", sort.rawValue), ("order", descending ? "desc" : "asc")])
        // A column's link sorts by it, and again in the other direction when it already does.
        let sortLinks = Dictionary(
            uniqueKeysWithValues: NationalPictureService.Sort.allCases.map { column in
                let order = column == sort && !descending ? "desc" : "asc"
                return (column.rawValue, here.path(query: filterItems + [("sort", column.rawValue), ("order", order)]))
            })
        let page = Page(
            page: .init(title: "\(cycle.title): national picture", req: req), code: cycle.code, cycleTitle: cycle.title,
            framework: framework.reference, areas: framework.areas.map(\.title), rows: views,
            heatmap: HeatMapSVG.render(rows: rows, framework: framework, title: "Inspected level by organisation and area, \(cycle.title)"),
            summary: summary, staff: staff,
            areaSummaries: framework.areas.map { area in
                AreaSummary(
                    title: area.title, meeting: summary.meetingByArea[area.code] ?? 0,
                    calibration: PictureSummary.signed(summary.calibrationByArea[area.code]),
                    movement: PictureSummary.signed(summary.movementByArea[area.code]))
            },
            stages: framework.scale.map { StageCount(name: "\($0.level) \($0.name)", count: summary.stageDistribution[$0.level] ?? 0) },
            regions: Region.all.map { .init(value: $0, label: $0, selected: $0 == filters.region) },
            kinds: OrganisationKind.allCases.map { .init(value: $0.rawValue, label: $0.displayName, selected: $0 == filters.kind) },
            tiers: framework.tiers.map { .init(value: $0.code, label: $0.name, selected: $0.code == filters.tier) },
            problems: FormState(problems: problems).problems, firstPage: here.path(query: queryItems),
            previous: try await CycleService.visiblePrevious(of: cycle, scope: scope, on: req.db)?.code,
            canCarryForward: AccessRule.canCreateCycles(try req.principal),
            next: found.next.map { here.path(query: queryItems + [("after", $0)]) },
            first: after == nil, sortLinks: sortLinks, sortedBy: sort.rawValue, sortedDescending: descending,
            exportLink: SiteURL.cycleExport(.value(cycle.code)).path(query: filterItems),
            deadlines: framework.tiers.map {
                TierDeadline(name: $0.name, date: req.display.civil(cycle.deadline(of: $0)))
            })
        return try await req.view.render("cycles/picture", page)
    }

    func export(req: Request) async throws -> Response {
        try await CycleExport.download(req)
    }

    /// "2 up, 1 down" across the areas compared with the previous cycle.
    static func describe(_ movement: [String: Int]) -> String {
        if movement.isEmpty { return "–" }
        let up = movement.values.filter { $0 > 0 }.count, down = movement.values.filter { $0 < 0 }.count
        if up == 0 && down == 0 { return "No change" }
        return [up > 0 ? "\(up) up" : nil, down > 0 ? "\(down) down" : nil].compactMap { $0 }.joined(separator: ", ")
    }

    struct CarryForm: Content { var assessment: String? }

    func carryForward(req: Request) async throws -> Response {
        let cycle = try await CycleService.require(code: try req.parameter("cycle"), scope: .all, on: req.db)
        guard let kind = AssessmentKind(rawValue: try req.form(CarryForm.self).assessment ?? "inspection") else {
            throw FieldError("assessment", "Choose the inspection or the self-assessment")
        }
        do {
            let report = try await CarryForward.run(into: cycle, kind: kind, reader: try await req.reader(), caller: req.caller, on: req.db)
            let copied = report.organisations.filter { $0.copied > 0 }.count
            let skipped = Set(report.organisations.flatMap(\.skipped)).sorted()
            req.flash(
                "\(kind.displayName) carried forward from \(report.from) for \(copied) organisations"
                    + (skipped.isEmpty ? "" : "; criteria not in the new framework: \(skipped.joined(separator: ", "))")
                    + (report.frameworkChanges.isEmpty ? "" : "; the framework changed in \(report.frameworkChanges.count) places"))
        } catch {
            req.flashProblem(try FormState.problems(from: error).map(\.message).joined(separator: "; "))
        }
        return req.redirect(to: SiteURL.cycle(.value(cycle.code)).path)
    }
}
