import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

@Suite("Funding: explanation, waterfall, sweep and capability gap")
struct FundingExplanationTests {
    /// Two organisations on £100 each last year, c = 100, B₀ = B = £200, no bounds. Last
    /// year both had r = 1; this year a has r = 3. A₀ (weights 1, 1): 2t − 200 = 200, t = 200,
    /// 100 each. A₂ (weights 3, 1): 4t − 200 = 200, t = 100: a 200, b 0. So the risk step is
    /// +100 for a and −100 for b, and every other step is 0.
    @Test func aRiskChangeIsTheRiskStep() throws {
        let round = try FundingRound(
            budget: 200, damping: nil,
            organisations: [
                FundingOrganisation(code: "a", riskWeight: 3, scale: 100, previous: 100),
                FundingOrganisation(code: "b", riskWeight: 1, scale: 100, previous: 100),
            ])
        let allocation = try round.allocate()
        FundingCheck.expectOptimal(round, allocation)
        #expect(allocation.organisations.map(\.allocation) == [200, 0], "3t − 100 + t − 100 = 200, t = 100")
        let steps = try allocation.waterfall(lastYear: LastYearInputs(riskWeights: ["a": 1]))
        #expect(
            steps.map { [$0.restatement, $0.budget, $0.risk, $0.gap, $0.floorsAndCaps, $0.damping] } == [
                [0, 0, 100, 0, 0, 0], [0, 0, -100, 0, 0, 0],
            ])
        // The same move as a gap: r = 1 both years, a's gap 0 last year and 2 now (weight 1 × 3).
        let gapRound = try FundingRound(
            budget: 200, damping: nil,
            organisations: [
                FundingOrganisation(code: "a", riskWeight: 1, capabilityGap: 2, scale: 100, previous: 100),
                FundingOrganisation(code: "b", riskWeight: 1, scale: 100, previous: 100),
            ])
        let gapSteps = try gapRound.allocate().waterfall(lastYear: LastYearInputs(capabilityGaps: ["a": 0]))
        #expect(gapSteps.map(\.gap) == [100, -100] && gapSteps.map(\.risk) == [0, 0])
        // A budget of £300 instead, inputs unchanged: the extra £100 is split 50/50 (t = 250), all of it the budget step.
        let more = try FundingRound(
            budget: 300, damping: nil,
            organisations: [
                FundingOrganisation(code: "a", riskWeight: 1, scale: 100, previous: 100),
                FundingOrganisation(code: "b", riskWeight: 1, scale: 100, previous: 100),
            ])
        #expect(try more.allocate().waterfall().map(\.budget) == [50, 50])
        #expect(throws: FundingInputError.self) { try more.allocate().waterfall(lastYear: LastYearInputs(riskWeights: ["a": -1])) }
    }

    /// The steps telescope: for each organisation they add up to this year − last year, and
    /// across organisations every step but the budget's sums to £0.
    @Test func theWaterfallAddsUpExactly() async throws {
        await propertyCheck(
            count: 150, input: RandomRound.generator, Gen.double(in: 0.2...5), Gen.int(in: 0...3), Gen.double(in: 0.5...1.5)
        ) {
            random, riskFactor, gap, budgetFactor in
            guard let round = random.round else { return }
            let allocation = try round.allocate()
            FundingCheck.expectOptimal(round, allocation, reference: false)
            var risks: [String: Double] = [:]
            var gaps: [String: Int] = [:]
            for (index, organisation) in round.organisations.enumerated() where index % 2 == 0 {
                risks[organisation.code] = min(1e12, organisation.riskWeight * riskFactor)
                gaps[organisation.code] = gap
            }
            let lastBudget = Int(Double(round.budget) * budgetFactor)
            let steps = try allocation.waterfall(lastYear: LastYearInputs(budget: lastBudget, riskWeights: risks, capabilityGaps: gaps))
            for (line, step) in zip(allocation.organisations, steps) {
                #expect(step.start == line.organisation.previous ?? 0 && step.end == line.allocation)
                #expect(step.steps.map(\.pounds).reduce(step.start, +) == step.end, "\(step)")
            }
            let starts = steps.map(\.start).reduce(0, +)
            #expect(steps.map(\.restatement).reduce(0, +) == lastBudget - starts)
            #expect(steps.map(\.budget).reduce(0, +) == round.budget - lastBudget)
            #expect(steps.map(\.risk).reduce(0, +) == 0 && steps.map(\.gap).reduce(0, +) == 0)
            #expect(steps.map(\.floorsAndCaps).reduce(0, +) == 0 && steps.map(\.damping).reduce(0, +) == 0)
            let explanation = allocation.explain()
            #expect(zip(steps, explanation.organisations).allSatisfy { $0.end - $0.damping - $0.floorsAndCaps == $1.unconstrained })
            #expect(explanation.headline.constraints.map(\.allocated).reduce(0, +) == round.budget)
            #expect(explanation.headline.constraints.map(\.moved).reduce(0, +) == 0)
            #expect(explanation.headline.constraints.map(\.organisations).reduce(0, +) == round.organisations.count)
            for row in explanation.organisations {
                #expect(row.shadowPrice >= 0)
                // A binding lower bound: marginal below λ; a binding upper bound: above.
                switch row.binding {
                case .floor, .dampingBelow: #expect(row.allocation == row.bounds.lower && row.marginal < row.lambda)
                case .cap, .dampingAbove: #expect(row.allocation == row.bounds.upper && row.marginal > row.lambda)
                case .none: #expect(row.shadowPrice == 0)
                }
            }
        }
    }

    /// The sweep against independent solves at many budgets, and its corners against straight lines.
    @Test func theSweepIsTheAllocationAtEveryBudget() async throws {
        await propertyCheck(count: 100, input: RandomRound.generator) { random in
            guard let round = random.round else { return }
            let sweep = try round.sweep()
            #expect(sweep.points.first?.budget == Double(sweep.lowest))
            if let highest = sweep.highest { #expect(sweep.points.last?.budget == Double(highest)) }
            #expect(zip(sweep.points, sweep.points.dropFirst()).allSatisfy { $0.budget <= $1.budget && $0.time < $1.time })
            let end = sweep.highest ?? sweep.lowest + 5_000_000
            // The sweep keeps the round's scales (budget ÷ n is not recomputed at each budget).
            let fixed = try FundingRound(
                budget: round.budget, damping: round.damping,
                organisations: round.organisations.map {
                    var organisation = $0
                    organisation.scale = FundingCheck.scale($0, round: round)
                    return organisation
                })
            for step in 0...8 {
                let budget = sweep.lowest + (end - sweep.lowest) * step / 8
                let reference = FundingCheck.reference(try fixed.with(budget: budget))
                for (code, value) in zip(sweep.codes, sweep.allocations(atBudget: Double(budget))) {
                    let expected = reference[code] ?? .nan
                    #expect(abs(value - expected) <= 1e-6 * max(1, expected), "\(code) at \(budget): \(value) against \(expected)")
                }
            }
            for code in sweep.codes.prefix(3) {
                let corners = sweep.curve(of: code)
                #expect(zip(corners, corners.dropFirst()).allSatisfy { $0.allocation <= $1.allocation + 1e-6 })
                for (left, right) in zip(corners, corners.dropFirst()) where right.budget - left.budget > 2 {
                    let middle = (left.budget + right.budget) / 2
                    let index = sweep.codes.firstIndex(of: code) ?? 0
                    let value = sweep.allocations(atBudget: middle)[index]
                    let line = (left.allocation + right.allocation) / 2
                    #expect(abs(value - line) <= 1e-6 * max(1, line), "straight between corners")
                }
            }
        }
    }

    @Test func theSweepOfTheWorkedExample() throws {
        let round = try FundingRound(
            budget: 2_000, damping: nil,
            organisations: [
                FundingOrganisation(code: "alpha", riskWeight: 1, scale: 100),
                FundingOrganisation(code: "bravo", riskWeight: 2, scale: 200),
                FundingOrganisation(code: "delta", riskWeight: 1, scale: 100, floor: 400),
                FundingOrganisation(code: "echo", riskWeight: 4, scale: 100, cap: 500),
            ])
        let sweep = try round.sweep()
        #expect(sweep.lowest == 400 && sweep.highest == nil)
        // Breakpoints in t: echo starts at 100/4 = 25, alpha at 100, bravo at 100, echo stops at
        // 600/4 = 150, delta starts at 500. Budgets there: 400; 400 + 4·100 − 100 = 700;
        // 400 + 500 + 150 − 100 + 300 − 200 = 1050 at t = 150; at t = 500: 400 + 500 + 400 + 800 = 2100.
        #expect(sweep.points.map(\.budget) == [400, 700, 1_050, 2_100])
        #expect(sweep.points.map(\.time) == [25, 100, 150, 500])
        let (budgets, allocations) = sweep.sample(count: 3, upTo: 2_000)
        #expect(budgets == [400, 1_200, 2_000])
        // At £2,000: the worked example's continuous optimum, 366.67, 733.33, 400, 500.
        #expect(abs(allocations[2][0] - 1_100.0 / 3) < 1e-9 && abs(allocations[2][1] - 2_200.0 / 3) < 1e-9)
        #expect(allocations[2][2] == 400 && allocations[2][3] == 500)
        #expect(sweep.curve(of: "echo").map(\.allocation) == [0, 300, 500, 500])
    }

    @Test func capabilityGapCountsLevelsBelowTheMinimum() {
        // a: 3 − 1 = 2; b meets it; c unjudged: 4 − (1 − 1) = 4.
        #expect(CapabilityGap.of(areaLevels: ["a": 1, "b": 3], minimums: ["a": 3, "b": 2, "c": 4], scaleBottom: 1) == 6)
        #expect(CapabilityGap.of(areaLevels: ["a": 5], minimums: ["a": 3], scaleBottom: 1) == 0)
        #expect(CapabilityGap.of(areaLevels: [:], minimums: [:], scaleBottom: 1) == 0)
    }

    @Test func capabilityGapAgreesWithTheResults() async {
        await propertyCheck(
            count: 200, input: Gen.int(in: 1...4).array(of: 1...6), Gen.int(in: 1...4).array(of: 1...4), Gen.int(in: 0...4).array(of: 24)
        ) {
            sizes, minimums, levels in
            let framework = RollupTests.framework(areaSizes: sizes, rule: .lowest, minimums: minimums)
            var given: CriterionLevels = [:]
            for (index, entry) in framework.criteria.enumerated() where levels[index % levels.count] > 0 {
                given[entry.criterion.code] = levels[index % levels.count]
            }
            let tier = framework.tiers[0]
            let result = framework.result(for: given, tier: tier)
            let areaLevels = framework.areaLevels(given: given)
            // Written out: each area's shortfall, an unjudged one counting from 0 on this 1–4 scale.
            let expected = framework.areas.reduce(0) { sum, area in
                let minimum = tier.minimums[area.code] ?? 1
                return sum + max(0, minimum - (areaLevels[area.code] ?? 0))
            }
            #expect(CapabilityGap.of(result) == expected)
            #expect(framework.capabilityGap(areaLevels: areaLevels, tier: tier) == expected)
        }
    }
}
