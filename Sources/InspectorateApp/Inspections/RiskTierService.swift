import Fluent
import Vapor
import InspectorateCore

enum RiskTierService {
    /// Security markings a rationale may carry until the information-sharing work makes
    /// marking schemes configurable (Government Security Classifications).
    static let markings = ["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"]

    /// Sets an organisation's risk tier for a cycle, keeping the change in its history.
    static func assign(tier: String?, rationale: String?, marking: String?, to member: CycleOrganisation, in cycle: Cycle,
                       by user: User, on db: any Database) async throws -> RiskTierChange {
        var errors = ValidationErrors()
        let framework = try await cycle.$framework.get(on: db).framework()
        let tierCode = (tier ?? "").trimmingCharacters(in: .whitespaces)
        if framework.tier(tierCode) == nil {
            errors.add("tier", "Choose one of the framework's tiers: \(framework.tiers.map(\.code).joined(separator: ", "))")
        }
        let reason = (rationale ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.isEmpty { errors.add("rationale", "Give the rationale for this tier: the assessment of risk it rests on") }
        let chosenMarking = (marking ?? "OFFICIAL-SENSITIVE").uppercased()
        if !markings.contains(chosenMarking) { errors.add("marking", "Choose one of \(markings.joined(separator: ", "))") }
        try errors.throwIfAny()
        let change = RiskTierChange()
        change.$cycle.id = try cycle.requireID()
        change.$organisation.id = member.$organisation.id
        change.fromTier = member.tierCode
        change.toTier = tierCode
        change.rationale = reason
        change.marking = chosenMarking
        change.$changedBy.id = user.id
        change.changedAt = Date()
        try await db.transaction { tx in
            try await change.create(on: tx)
            try await CycleOrganisation.query(on: tx).filter(\.$id == member.requireID()).set(\.$tierCode, to: tierCode).update()
            // A new tier changes the minimums every assessment is measured against.
            for assessment in try await Assessment.query(on: tx).filter(\.$cycle.$id == cycle.requireID())
                .filter(\.$organisation.$id == member.$organisation.id).all() {
                try await AssessmentService.refreshResults(assessment, framework: framework, tier: framework.tier(tierCode), on: tx)
            }
        }
        member.tierCode = tierCode
        return change
    }

    static func history(of member: CycleOrganisation, in cycle: Cycle, on db: any Database) async throws -> [RiskTierChange] {
        try await RiskTierChange.query(on: db)
            .filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$organisation.$id == member.$organisation.id)
            .with(\.$changedBy)
            .sort(\.$changedAt, .descending)
            .all()
    }
}
