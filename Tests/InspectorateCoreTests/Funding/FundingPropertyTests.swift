import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

@Suite("Funding: properties")
struct FundingPropertyTests {
    /// KKT, the budget to the pound, every bound, and the bisection reference, on random rounds.
    @Test func everySolveIsOptimalSpendsTheBudgetAndKeepsTheBounds() async throws {
        await propertyCheck(count: 300, input: RandomRound.generator) { random in
            guard let round = random.round else { return }
            let allocation = try round.allocate()
            FundingCheck.expectOptimal(round, allocation)
        }
    }

    @Test func moreBudgetNeverGivesAnyoneLess() async throws {
        await propertyCheck(count: 200, input: RandomRound.generator, Gen.int(in: 1...2_000_000)) { random, extra in
            guard let round = random.round else { return }
            let (_, upper, _) = random.range
            let more = min(round.budget + extra, upper ?? Int.max)
            let before = try round.allocate()
            let after = try round.with(budget: more).allocate()
            FundingCheck.expectOptimal(round, before, reference: false)
            FundingCheck.expectOptimal(try round.with(budget: more), after, reference: false)
            for (old, new) in zip(before.organisations, after.organisations) {
                // The continuous optimum never decreases; the whole-pound one by at most £1
                // (largest remainder's Alabama paradox), and not at all when the optimum rose by £1 or more.
                #expect(new.exact >= old.exact - 1e-6 * max(1, old.exact), "\(old.code): \(old.exact) → \(new.exact)")
                #expect(new.allocation >= old.allocation - 1)
                if new.exact >= old.exact + 1 { #expect(new.allocation >= old.allocation) }
            }
        }
    }

    @Test func raisingOneRiskWeightNeverLowersItsAllocation() async throws {
        await propertyCheck(count: 200, input: RandomRound.generator, Gen.int(in: 0...23), Gen.double(in: 1...20)) {
            random, which, factor in
            guard let round = random.round else { return }
            var organisations = round.organisations
            let index = which % organisations.count
            organisations[index].riskWeight = min(organisations[index].riskWeight * factor, 1e12)
            let raised = try FundingRound(budget: round.budget, damping: round.damping, organisations: organisations)
            let original = try round.allocate()
            FundingCheck.expectOptimal(round, original, reference: false)
            let before = original.organisations[index]
            let after = try raised.allocate()
            FundingCheck.expectOptimal(raised, after)
            #expect(after.organisations[index].exact >= before.exact - 1e-6 * max(1, before.exact))
            #expect(after.organisations[index].allocation >= before.allocation - 1)
        }
    }

    @Test func shufflingTheRowsChangesNothing() async throws {
        await propertyCheck(count: 200, input: RandomRound.generator, Gen.int(in: 0...Int(Int32.max))) { random, seed in
            guard let round = random.round else { return }
            var generator = SplitMix64(seed: UInt64(seed))
            let shuffled = try FundingRound(
                budget: round.budget, damping: round.damping,
                organisations: random.organisations.shuffled(using: &generator))
            let first = try round.allocate()
            let second = try shuffled.allocate()
            FundingCheck.expectOptimal(round, first, reference: false)
            FundingCheck.expectOptimal(shuffled, second, reference: false)
            #expect(first == second, "identical to the last bit, not merely close")
            #expect(first.organisations.map(\.allocation) == second.organisations.map(\.allocation))
            #expect(first.lambda == second.lambda)
        }
    }

    /// With c tiny and nothing binding, wᵢ·t − cᵢ ≈ wᵢ·t: the allocation is the proportional
    /// share wᵢ·B/Σw, written here directly.
    @Test func tinyScalesGiveTheProportionalShare() async throws {
        let weights = Gen.double(in: 0.01...100).array(of: 1...30)
        await propertyCheck(count: 200, input: weights, Gen.int(in: 1_000_000...1_000_000_000)) { weights, budget in
            let organisations = weights.enumerated().map { FundingOrganisation(code: RandomRound.code($0), riskWeight: $1, scale: 1e-6) }
            let round = try FundingRound(budget: budget, damping: nil, organisations: organisations)
            let allocation = try round.allocate()
            FundingCheck.expectOptimal(round, allocation)
            let total = weights.reduce(0, +)
            for (index, line) in allocation.organisations.enumerated() {
                let share = weights[index] * Double(budget) / total
                #expect(abs(Double(line.allocation) - share) < 1.001, "\(line.code): \(line.allocation) against \(share)")
            }
        }
    }

    /// The KKT checker is not a rubber stamp: moving one pound between two organisations
    /// that the optimum leaves strictly inside their bounds, with different marginals, is caught
    /// once the pound matters, and a total off by one always is.
    @Test func theCheckerRefusesWhatIsNotOptimal() throws {
        let round = try FundingRound(
            budget: 1_000, damping: nil,
            organisations: [
                FundingOrganisation(code: "a", riskWeight: 1, scale: 10),
                FundingOrganisation(code: "b", riskWeight: 1, scale: 10),
            ])
        let allocation = try round.allocate()
        #expect(allocation.organisations.map(\.allocation) == [500, 500])
        func violations(_ a: Int, _ b: Int) -> [String] {
            FundingOptimality.violations(round: round, allocations: ["a": a, "b": b], lambda: allocation.lambda)
        }
        #expect(violations(500, 500).isEmpty)
        #expect(violations(501, 499).isEmpty, "one pound is within rounding")
        #expect(!violations(505, 495).isEmpty)
        #expect(!violations(500, 501).isEmpty)
        #expect(!FundingOptimality.violations(round: round, allocations: ["a": 500, "b": 500], lambda: allocation.lambda * 1.01).isEmpty)
    }
}
