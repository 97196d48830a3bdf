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
        var movement: String
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
        var previous: String?
        var inspectionStatus: String?
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
        let card = try await ScorecardService.scorecard(
            cycle: cycle, member: member, framework: framework, principal: principal, on: req.db)
        let tier = card.tier
        let name = { (level: Int?) in level.map { "\($0) \(framework.levelName($0) ?? "")" } ?? "–" }
        let lines = card.areas.map { area in
            AreaLine(
                title: area.title, own: name(area.own), inspected: name(area.inspected), minimum: name(area.minimum),
                gap: area.gap.map { $0 == 0 ? "Met" : "\($0) level\($0 == 1 ? "" : "s") short" } ?? "–", met: area.gap == 0,
                movement: area.movement.map { $0 == 0 ? "No change" : ($0 > 0 ? "Up \($0)" : "Down \(-$0)") } ?? "–")
        }
        let format = req.display
        let reader = try await req.reader()
        let history =
            AccessRule.canReadTierRationale(principal)
            ? try await RiskTierService.history(of: member, in: cycle, reader: reader, caller: req.caller, on: req.db).map { line in
                let change = line.change
                return TierLine(
                    from: change.fromTier ?? "none", to: change.toTier,
                    rationale: line.rationaleReadable ? change.rationale : "(withheld: marked \(change.markingValue))",
                    marking: change.markingValue.description, by: change.changedBy?.displayName ?? "unknown",
                    when: format.instant(change.changedAt))
            } : nil
        return ScorecardPage(
            page: .init(title: "\(member.organisation.name): \(cycle.title)", req: req), cycle: cycle.code, cycleTitle: cycle.title,
            organisation: member.organisation.code, tier: tier?.name, deadline: card.deadline.map(req.display.civil), areas: lines,
            meets: tier == nil
                ? "Tier not set"
                : card.meetsMinimum.map { $0 ? "Meets the minimum for its tier" : "Does not yet meet the minimum for its tier" }
                    ?? "Not yet inspected (no final inspection)",
            previous: card.previousCycle,
            inspectionStatus: card.inspectionStatus.map(\.displayName),
            canSetTier: AccessRule.canSetRiskTier(principal),
            tiers: framework.tiers.map {
                .init(value: $0.code, label: $0.name, selected: $0.code == (form.values["tier"] ?? member.tierCode))
            },
            history: history,
            markings: SharingWebRoutes.markingOptions(
                req.markingScheme, reader: reader,
                selected: form.values["marking"] ?? req.markingScheme.defaultMarking(for: .riskTierRationale).level),
            groupOptions: try await SharingWebRoutes.groupOptions(reader, on: req.db),
            canSeeInspection: card.inspectionStatus != nil || AccessRule.canReadTierRationale(principal), form: form)
    }

    struct TierForm: Content {
        var tier: String?; var rationale: String?; var marking: String?; var descriptors: String?; var groups: [String]?
    }

    func setTier(req: Request) async throws -> Response {
        let (cycle, member, _) = try await req.memberInCycle()
        let form = try req.form(TierForm.self)
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
