import Fluent
import InspectorateCore
import Vapor

/// An organisation within a cycle: its scorecard, its tier, and its assessments.
extension CycleWebRoutes {
    struct AreaLine: Encodable {
        var title: String
        var own: String
        var inspected: String
        var minimum: String
        var gap: String
        var met: Bool
    }

    struct TierLine: Encodable { var from, to, rationale, marking, by, when: String }
    struct ScorecardPage: Encodable {
        var page: PageContext
        var cycle: String
        var cycleTitle: String
        var organisation: String
        var tier: String?
        var deadline: String?
        var areas: [AreaLine]
        var meets: String
        var canSetTier: Bool
        var tiers: [OrganisationWebRoutes.Option]
        var history: [TierLine]?
        var markings: [SharingWebRoutes.Option]
        var groupOptions: [SharingWebRoutes.Option]
        var canSeeInspection: Bool
        var form: FormState
    }

    func scorecard(req: Request) async throws -> View {
        try await req.view.render("cycles/scorecard", try await scorecardPage(req, form: FormState()))
    }

    func scorecardPage(_ req: Request, form: FormState) async throws -> ScorecardPage {
        let (cycle, member, framework) = try await req.memberInCycle()
        let principal = try req.principal
        let assessments = try await Assessment.query(on: req.db).filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$organisation.$id == member.$organisation.id).all()
        let own = assessments.first { $0.kind == .selfAssessment }
        let inspection = assessments.first { $0.kind == .inspection }
            .flatMap {
                AccessRule.canView(
                    assessment: .inspection, status: $0.status, organisationID: member.$organisation.id, principal: principal) ? $0 : nil
            }
        let tier = member.tierCode.flatMap(framework.tier)
        let ownLevels = try own?.areaLevels ?? [:], graded = try inspection?.areaLevels ?? [:]
        let name = { (level: Int?) in level.map { "\($0) \(framework.levelName($0) ?? "")" } ?? "–" }
        let lines = framework.areas.map { area in
            let minimum = tier?.minimums[area.code]
            let level = graded[area.code]
            let gap = zip2(level, minimum).map { max(0, $1 - $0) }
            return AreaLine(
                title: area.title, own: name(ownLevels[area.code]), inspected: name(level), minimum: name(minimum),
                gap: gap.map { $0 == 0 ? "Met" : "\($0) level\($0 == 1 ? "" : "s") short" } ?? "–", met: gap == 0)
        }
        let format = req.display
        let reader = try await req.reader()
        let history =
            AccessRule.canReadTierRationale(principal)
            ? try await RiskTierService.history(of: member, in: cycle, reader: reader, caller: req.caller, on: req.db).map {
                TierLine(
                    from: $0.fromTier ?? "none", to: $0.toTier, rationale: $0.rationale, marking: $0.markingValue.description,
                    by: $0.changedBy?.displayName ?? "unknown", when: format.instant($0.changedAt))
            } : nil
        return ScorecardPage(
            page: .init(title: "\(member.organisation.name): \(cycle.title)", req: req), cycle: cycle.code, cycleTitle: cycle.title,
            organisation: member.organisation.code, tier: tier?.name, deadline: tier?.deadline, areas: lines,
            meets: inspection.map { $0.meetsMinimum ? "Meets the minimum for its tier" : "Does not yet meet the minimum for its tier" }
                ?? "Not yet inspected",
            canSetTier: AccessRule.canSetRiskTier(principal),
            tiers: framework.tiers.map {
                .init(value: $0.code, label: $0.name, selected: $0.code == (form.values["tier"] ?? member.tierCode))
            },
            history: history,
            markings: SharingWebRoutes.markingOptions(
                req.markingScheme, reader: reader,
                selected: form.values["marking"] ?? req.markingScheme.defaultMarking(for: .riskTierRationale).level),
            groupOptions: try await SharingWebRoutes.groupOptions(reader, on: req.db),
            canSeeInspection: inspection != nil || AccessRule.canReadTierRationale(principal), form: form)
    }

    struct TierForm: Content {
        var tier: String?; var rationale: String?; var marking: String?; var descriptors: String?; var groups: [String]?
    }

    func setTier(req: Request) async throws -> Response {
        let (cycle, member, _) = try await req.memberInCycle()
        let form = try req.content.decode(TierForm.self)
        do {
            _ = try await RiskTierService.assign(
                tier: form.tier, rationale: form.rationale, marking: form.marking, descriptors: form.descriptors,
                groups: form.groups?.joined(separator: ","),
                to: member, in: cycle, reader: try await req.reader(), caller: req.caller, on: req.db)
            req.flash("The risk tier has been recorded")
            return req.redirect(to: SiteURL.scorecard(.value(cycle.code), .value(member.organisation.code)).path)
        } catch {
            let state = FormState(
                values: [
                    "tier": form.tier ?? "", "rationale": form.rationale ?? "", "marking": form.marking ?? "",
                    "descriptors": form.descriptors ?? "",
                ],
                problems: try FormState.problems(from: error))
            return try await rerender(req, try await scorecardPage(req, form: state), template: "cycles/scorecard", status: error)
        }
    }
}

private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
