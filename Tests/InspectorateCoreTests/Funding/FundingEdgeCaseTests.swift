import Foundation
import Testing

@testable import InspectorateCore

@Suite("Funding: edge cases")
struct FundingEdgeCaseTests {
    static let four = [
        FundingOrganisation(code: "a", riskWeight: 1, scale: 1_000, floor: 100, cap: 900),
        FundingOrganisation(code: "b", riskWeight: 3, scale: 500, floor: 200, cap: 400),
        FundingOrganisation(code: "c", riskWeight: 2, scale: 2_000, floor: 0, cap: 5_000),
        FundingOrganisation(code: "d", riskWeight: 0.5, scale: 100, floor: 50, cap: 60),
    ]

    /// B = Σ lo = 100 + 200 + 0 + 50: everyone at the floor. λ is the highest marginal value at
    /// a floor (the next pound's): b's 3/700 against a's 1/1100, c's 2/2000 and d's 0.5/150.
    @Test func budgetEqualToTheFloors() throws {
        let round = try FundingRound(budget: 350, damping: nil, organisations: Self.four)
        let allocation = try round.allocate()
        FundingCheck.expectOptimal(round, allocation)
        #expect(allocation.organisations.map(\.allocation) == [100, 200, 0, 50])
        #expect(abs(allocation.lambda - 3.0 / 700) < 1e-15)
        #expect(allocation.explain().organisations.map(\.binding) == [.floor, .none, .floor, .floor], "b merely touches its floor")
    }

    /// B = Σ hi = 900 + 400 + 5000 + 60: everyone at the cap. λ is the lowest marginal value
    /// at a cap: a's 1/1900 against b's 3/900, c's 2/7000 = 1/3500 and d's 0.5/160.
    @Test func budgetEqualToTheCaps() throws {
        let round = try FundingRound(budget: 6_360, damping: nil, organisations: Self.four)
        let allocation = try round.allocate()
        FundingCheck.expectOptimal(round, allocation)
        #expect(allocation.organisations.map(\.allocation) == [900, 400, 5_000, 60])
        #expect(abs(allocation.lambda - 1.0 / 3500) < 1e-15)
    }

    @Test func everyOrganisationAtABound() throws {
        // A band of 0 holds everyone at last year's sum: the only allocation there is.
        let organisations = (0..<20).map {
            FundingOrganisation(code: RandomRound.code($0), riskWeight: Double($0 + 1), previous: 1_000 * ($0 + 1))
        }
        let round = try FundingRound(budget: 210_000, damping: DampingBand(billionths: 0), organisations: organisations)
        let allocation = try round.allocate()
        FundingCheck.expectOptimal(round, allocation)
        #expect(allocation.organisations.map(\.allocation) == (0..<20).map { 1_000 * ($0 + 1) })
        // And a budget with every organisation at a floor or a cap but not all at the same kind.
        let mixed = try FundingRound(
            budget: 1_000 + 60, damping: nil,
            organisations: [
                FundingOrganisation(code: "high", riskWeight: 100, scale: 10, cap: 1_000),
                FundingOrganisation(code: "low", riskWeight: 0.001, scale: 10_000, floor: 60),
            ])
        let result = try mixed.allocate()
        FundingCheck.expectOptimal(mixed, result)
        #expect(result.organisations.map(\.allocation) == [1_000, 60])
        // Every λ from low's marginal at its floor (0.001/10,060) to high's at its cap (100/1,010)
        // fits; the solver takes the largest, the value of high's last pound, so high merely
        // touches its cap (shadow price 0) and the floor is what holds the money.
        #expect(abs(result.lambda - 100.0 / 1_010) < 1e-15)
        #expect(result.explain().organisations.map(\.binding) == [.none, .floor])
    }

    /// Identical organisations get the same continuous share; the pounds that do not divide
    /// go to the codes that sort first, whatever order they were given in.
    @Test func tiesGoToTheCodeThatSortsFirst() throws {
        let codes = ["delta", "alpha", "charlie", "bravo"]
        let organisations = codes.map { FundingOrganisation(code: $0, riskWeight: 2, scale: 50) }
        let round = try FundingRound(budget: 1_002, damping: nil, organisations: organisations)
        let allocation = try round.allocate()
        FundingCheck.expectOptimal(round, allocation)
        #expect(allocation.organisations.map(\.code) == ["alpha", "bravo", "charlie", "delta"])
        #expect(allocation.organisations.map(\.allocation) == [251, 251, 250, 250])
        #expect(Set(allocation.organisations.map(\.exact)) == [250.5])
    }

    @Test func oneOrganisationGetsTheWholeBudget() throws {
        let round = try FundingRound(budget: 25_000_000, damping: nil, organisations: [FundingOrganisation(code: "kent", riskWeight: 0.3)])
        let allocation = try round.allocate()
        FundingCheck.expectOptimal(round, allocation)
        #expect(allocation.organisations.map(\.allocation) == [25_000_000])
        #expect(allocation.organisations[0].scale == 25_000_000, "budget ÷ n without a previous allocation")
        // λ = w/(c + B) = 0.3 / 50,000,000.
        #expect(abs(allocation.lambda - 0.3 / 50_000_000) < 1e-20)
        let zero = try FundingRound(budget: 0, damping: nil, organisations: [FundingOrganisation(code: "kent", riskWeight: 0.3)])
        #expect(try zero.allocate().organisations.map(\.allocation) == [0])
    }

    /// 50,000 organisations with floors, caps and a band: optimal, to the pound, against the
    /// reference, and quickly (the whole solve in a debug build well under two seconds).
    @Test func fiftyThousandOrganisations() throws {
        var generator = SplitMix64(seed: 46)
        let organisations = (0..<50_000).map { index -> FundingOrganisation in
            let previous = Int.random(in: 1_000...1_000_000, using: &generator)
            let floor = index % 7 == 0 ? previous : nil
            let cap = index % 11 == 0 ? previous + Int.random(in: 0...10_000, using: &generator) : nil
            return FundingOrganisation(
                code: "org-\(index)", riskWeight: Double.random(in: 0.1...10, using: &generator),
                scale: index % 2 == 0 ? Double.random(in: 1_000...500_000, using: &generator) : nil,
                previous: previous, floor: floor, cap: cap)
        }
        let total = organisations.reduce(0) { $0 + ($1.previous ?? 0) }
        let round = try FundingRound(budget: total + total / 20, damping: DampingBand.parse("0.1"), organisations: organisations)
        let started = ContinuousClock.now
        let allocation = try round.allocate()
        let elapsed = ContinuousClock.now - started
        FundingCheck.expectOptimal(round, allocation)
        #expect(elapsed < .seconds(2), "\(elapsed)")
        let bindings = Dictionary(grouping: allocation.explain().organisations, by: \.binding).mapValues(\.count)
        #expect(bindings.count >= 4, "floors, caps and both sides of the band all bind somewhere: \(bindings)")
    }

    /// From £1 to £10¹³ in one round, weights from 10⁻⁹ to 10¹², scales from 10⁻⁶ to 10¹³.
    @Test func hugeAndTinyValues() throws {
        let organisations = [
            FundingOrganisation(code: "giant", riskWeight: 1e12, scale: 1e13, previous: 10_000_000_000_000, floor: 1_000_000_000_000),
            FundingOrganisation(code: "huge", riskWeight: 5e11, scale: 1e12, cap: 10_000_000_000_000),
            FundingOrganisation(code: "mite", riskWeight: 1e-9, scale: 1e-6, floor: 1, cap: 1),
            FundingOrganisation(code: "small", riskWeight: 1e-9, scale: 1e-6),
            FundingOrganisation(code: "tiny", riskWeight: 0.001, scale: 1, cap: 3),
        ]
        for budget in [1_000_000_000_001, 2_500_000_000_000, 20_000_000_000_000, 90_000_000_000_000] {
            let round = try FundingRound(budget: budget, damping: nil, organisations: organisations)
            let allocation = try round.allocate()
            FundingCheck.expectOptimal(round, allocation)
            #expect(allocation.organisations.allSatisfy { $0.exact.isFinite } && allocation.lambda.isFinite)
        }
        // A budget of 10¹⁸ over 100,000 organisations of 10¹³ each: beyond 2⁵³ Doubles have no
        // units digit, and the total is still exact.
        let many = (0..<100_000).map {
            FundingOrganisation(code: "o\($0)", riskWeight: 1 + Double($0 % 10), scale: 1e13, cap: 10_000_000_000_000)
        }
        let round = try FundingRound(budget: 999_999_999_999_999_999, damping: nil, organisations: many)
        let allocation = try round.allocate()
        FundingCheck.expectOptimal(round, allocation, reference: false)
        // A budget of £1 among many.
        let one = try FundingRound(
            budget: 1, damping: nil, organisations: (0..<1_000).map { FundingOrganisation(code: "o\($0)", riskWeight: 1, scale: 1) })
        let single = try one.allocate()
        FundingCheck.expectOptimal(one, single)
        #expect(single.organisations.filter { $0.allocation == 1 }.map(\.code) == ["o0"], "the pound goes to the code that sorts first")
    }
}
