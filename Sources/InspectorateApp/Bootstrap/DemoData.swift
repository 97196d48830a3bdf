import Fluent
import InspectorateCore
import Vapor

/// A demonstration 2009 cycle with fictitious judgements for every organisation, so a
/// newcomer sees a populated national picture at once. Everything it writes says that
/// it is fictitious. Seeded, so the same data every time.
enum DemoData {
    static let cycleCode = "prevent-2009-demo"

    /// Fictitious rationales carry the scheme's lowest marking: there is nothing in them to protect.
    @discardableResult
    static func load(_ app: Application) async throws -> Bool {
        let db = app.db
        let caller = app.systemCaller
        let logger = app.logger
        guard let lowest = app.markingScheme.levels.first else { return false }
        let rationaleMarking = Marking(level: lowest.code)
        if try await Cycle.query(on: db).filter(\.$code == cycleCode).count() > 0 { return false }
        let cycle = try await CycleService.create(
            CycleInput(
                code: cycleCode, title: "Prevent 2009 (DEMONSTRATION: fictitious judgements)", framework: "police-prevent@2009.1",
                selfAssessmentDue: "2009-09-30", fieldworkStart: "2009-10-01", fieldworkEnd: "2009-12-18",
                moderationDue: "2010-01-29", publication: "2010-03-31", organisations: nil), caller: caller, on: db)
        _ = try await cycle.$framework.get(on: db)
        let framework = try cycle.framework.framework()
        let members = try await CycleService.members(of: cycle, scope: .all, on: db)
        try await db.transaction { tx in
            var random = SplitMix64(seed: 2009)
            for member in members {
                // Tiers in the demonstration are drawn at random: real tiers are assessments
                // entered by accountable analysts, never derived from population or demography.
                let tier = framework.tiers[Int.random(in: 0..<framework.tiers.count, using: &random)]
                try await CycleOrganisation.query(on: tx).filter(\.$id == member.requireID()).set(\.$tierCode, to: tier.code).update()
                let change = RiskTierChange()
                change.$cycle.id = try cycle.requireID()
                change.$organisation.id = member.$organisation.id
                change.toTier = tier.code
                change.rationale = "Fictitious tier for the demonstration cycle."
                change.marking = rationaleMarking.level
                change.markingDescriptors = rationaleMarking.storedDescriptors
                change.changedAt = caller.now
                try await change.create(on: tx)
                let maturity = [2, 2, 3, 3, 3, 4][Int.random(in: 0..<6, using: &random)]
                for kind in AssessmentKind.allCases {
                    let assessment = Assessment(cycleID: try cycle.requireID(), organisationID: member.$organisation.id, kind: kind)
                    assessment.status = kind == .inspection ? .final : .submitted
                    assessment.createdAt = caller.now
                    assessment.updatedAt = caller.now
                    try await assessment.create(on: tx)
                    for (_, criterion) in framework.criteria {
                        let judgement = Judgement(assessmentID: try assessment.requireID(), criterion: criterion.code)
                        // Forces rate themselves a little higher than inspectors do, as such
                        // schemes often find: it gives the calibration view something to show.
                        let spread = [-1, 0, 0, 0, 0, 1][Int.random(in: 0..<6, using: &random)]
                        let optimism = kind == .selfAssessment ? Int.random(in: 0...1, using: &random) : 0
                        judgement.level = min(4, max(1, maturity + spread + optimism))
                        judgement.narrative = "Fictitious demonstration evidence."
                        judgement.rationale = "Fictitious demonstration rationale."
                        judgement.version = 1
                        judgement.updatedAt = caller.now
                        try await judgement.create(on: tx)
                    }
                    try await AssessmentService.refreshResults(assessment, framework: framework, tier: tier, on: tx)
                }
            }
        }
        logger.notice("Loaded the demonstration cycle \(cycleCode) with fictitious judgements for \(members.count) organisations")
        return true
    }
}
