import Fluent
import InspectorateCore
import Vapor

/// An organisation in a cycle through the API: its scorecard; its risk tier, set and with its history.
struct RiskTierAPIRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.scorecard(.key, .key), use: scorecard)
        routes.put(APIURL.riskTier(.key, .key), use: setTier)
        routes.get(APIURL.riskTierHistory(.key, .key), use: tierHistory)
    }

    /// The organisation's scorecard: levels per area, tier, minimum and deadline, gaps,
    /// movement and calibration, as the page shows it.
    func scorecard(req: Request) async throws -> ScorecardDTO {
        let (cycle, member, framework) = try await req.memberInCycle()
        return ScorecardDTO(
            try await ScorecardService.scorecard(
                cycle: cycle, member: member, framework: framework, principal: try req.principal, on: req.db))
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
        let (cycle, member, _) = try await req.memberInCycle()
        let body = try req.strictBody(TierBody.self)
        let change = try await RiskTierService.assign(
            tier: body.tier, rationale: body.rationale, marking: body.marking,
            descriptors: body.descriptors?.joined(separator: ","),
            groups: body.groups?.map(\.uuidString).joined(separator: ","), to: member, in: cycle,
            reader: try await req.reader(), caller: req.caller, on: req.db)
        change.$changedBy.value = try req.currentUser
        return TierChangeDTO(change)
    }

    struct TierHistory: Content { var tier: String?; var changes: [TierChangeDTO] }

    func tierHistory(req: Request) async throws -> TierHistory {
        let (cycle, member, _) = try await req.memberInCycle()
        guard AccessRule.canReadTierRationale(try req.principal) else { throw DomainError.notFound("tier history") }
        return TierHistory(
            tier: member.tierCode,
            changes: try await RiskTierService.history(
                of: member, in: cycle, reader: try await req.reader(), caller: req.caller, on: req.db
            )
            .map { TierChangeDTO($0.change, rationaleReadable: $0.rationaleReadable) })
    }
}
