import Foundation
import Testing

@testable import InspectorateCore

/// Small rounds worked by hand, the numbers written out in the comments.
@Suite("Funding: worked examples")
struct FundingHandWorkedTests {
    /// alpha w=1 c=100, bravo w=2 c=200, charlie w=1 c=50, B = £1,000, no bounds.
    /// xᵢ = wᵢ·t − cᵢ and Σ x = 4t − 350 = 1000, so t = 337.5, λ = 1/337.5:
    /// alpha 237.5, bravo 475, charlie 287.5. Whole pounds: 237 + 475 + 287 = 999, one pound
    /// left; alpha and charlie tie on .5 and alpha's code sorts first: 238, 475, 287.
    @Test func threeOrganisationsWithoutBoundsAndATie() throws {
        let round = try FundingRound(
            budget: 1_000, damping: nil,
            organisations: [
                FundingOrganisation(code: "charlie", riskWeight: 1, scale: 50),
                FundingOrganisation(code: "bravo", riskWeight: 2, scale: 200),
                FundingOrganisation(code: "alpha", riskWeight: 1, scale: 100),
            ])
        let allocation = try round.allocate()
        #expect(allocation.organisations.map(\.code) == ["alpha", "bravo", "charlie"])
        #expect(allocation.organisations.map(\.allocation) == [238, 475, 287])
        #expect(allocation.organisations.map(\.exact) == [237.5, 475, 287.5])
        #expect(abs(allocation.lambda - 1 / 337.5) < 1e-15)
        FundingCheck.expectOptimal(round, allocation)
    }

    /// The same with a floor and a cap: delta w=1 c=100 floor £400, echo w=4 c=100 cap £500,
    /// B = £2,000. With delta at its floor and echo at its cap, alpha + bravo share
    /// 2000 − 400 − 500 = 1100: (t − 100) + (2t − 200) = 1100, t = 1400/3, λ = 3/1400.
    /// Then delta's formula gives t − 100 = 366.67 < 400 (the floor binds) and echo's
    /// 4t − 100 = 1766.67 > 500 (the cap binds). alpha 366.67, bravo 733.33: whole pounds
    /// 366 + 733 = 1099, the pound left to alpha (.67 > .33): 367, 733, 400, 500.
    /// Marginals: delta 1/500 = 0.002, λ − 0.002 = 1/7000; echo 4/600, 4/600 − 3/1400 = 19/4200.
    /// Without bounds: Σ w = 8, 8t − 500 = 2000, t = 312.5, λ = 0.0032: alpha 212.5,
    /// bravo 425, delta 212.5, echo 1150; whole: the spare pound to alpha (tie with delta):
    /// 213, 425, 212, 1150.
    @Test func aFloorAndACapBind() throws {
        let round = try FundingRound(
            budget: 2_000, damping: nil,
            organisations: [
                FundingOrganisation(code: "alpha", riskWeight: 1, scale: 100),
                FundingOrganisation(code: "bravo", riskWeight: 2, scale: 200),
                FundingOrganisation(code: "delta", riskWeight: 1, scale: 100, floor: 400),
                FundingOrganisation(code: "echo", riskWeight: 4, scale: 100, cap: 500),
            ])
        let allocation = try round.allocate()
        FundingCheck.expectOptimal(round, allocation)
        #expect(allocation.organisations.map(\.allocation) == [367, 733, 400, 500])
        #expect(abs(allocation.lambda - 3.0 / 1400) < 1e-15)

        let explanation = allocation.explain()
        let rows = explanation.organisations
        #expect(rows.map(\.binding) == [.none, .none, .floor, .cap])
        #expect(rows.map(\.unconstrained) == [213, 425, 212, 1150])
        #expect(rows.map(\.distanceFromUnconstrained) == [154, 308, 188, -650])
        #expect(abs(rows[2].shadowPrice - 1.0 / 7000) < 1e-15)
        #expect(abs(rows[3].shadowPrice - 19.0 / 4200) < 1e-15)
        #expect(rows[0].shadowPrice == 0 && rows[1].shadowPrice == 0)
        #expect(abs(rows[2].marginal - 0.002) < 1e-15)
        #expect(rows[2].shadowPriceMeaning.contains("held up by its floor"))
        #expect(rows[3].shadowPriceMeaning.contains("held down by its cap"))
        #expect(abs(explanation.headline.unconstrainedLambda - 0.0032) < 1e-15)
        #expect(explanation.headline.total(.floor) == ConstraintTotal(constraint: .floor, organisations: 1, allocated: 400, moved: 188))
        #expect(explanation.headline.total(.cap) == ConstraintTotal(constraint: .cap, organisations: 1, allocated: 500, moved: -650))
        #expect(explanation.headline.total(.none) == ConstraintTotal(constraint: .none, organisations: 2, allocated: 1100, moved: 462))
        // ln(1 + 367/100) + 2 ln(1 + 733/200) + ln(1 + 400/100) + 4 ln(1 + 500/100), by calculator.
        #expect(abs(allocation.objective - 13.397_810_529_625_74) < 1e-12)
    }

    /// A band of 10 % around £1,005 is [904.5, 1105.5]; in whole pounds, inward, [905, 1105].
    /// A floor of £1,000 is above 905, so it is the lower bound; no cap, so the band's top is the upper.
    @Test func theBandIsRoundedInwardToWholePounds() throws {
        let band = try DampingBand.parse("0.1")
        #expect(band.billionths == 100_000_000)
        #expect(band.lowest(previous: 1_005) == 905 && band.highest(previous: 1_005) == 1_105)
        #expect(band.lowest(previous: 100) == 90 && band.highest(previous: 100) == 110)
        // 0.07 × 100 is 7.000000000000001 in Doubles; the band is exact.
        let seven = try DampingBand.parse("0.07")
        #expect(seven.lowest(previous: 100) == 93 && seven.highest(previous: 100) == 107)
        let bounds = FundingBounds(FundingOrganisation(code: "a", riskWeight: 1, previous: 1_005, floor: 1_000), damping: band)
        #expect(bounds == FundingBounds(lower: 1_000, lowerSource: .floor, upper: 1_105, upperSource: .dampingAbove))
        let capped = FundingBounds(FundingOrganisation(code: "a", riskWeight: 1, previous: 1_005, cap: 1_105), damping: band)
        #expect(capped.upperSource == .cap, "a cap equal to the band's top is named as the cap")
        #expect(capped.lowerSource == .dampingBelow && capped.lower == 905)
    }

    /// Three organisations last year on £100 each, band 20 %: bounds [80, 120]. charlie
    /// has a floor of £120 and a cap of £150, so it is fixed at 120 (band above binds).
    /// alpha w=1, bravo w=2, c = 100: a + b = 180. With alpha at 80, bravo 2t − 100 = 100,
    /// t = 100, and alpha's formula t − 100 = 0 < 80: the band holds it up.
    /// Waterfall for alpha (B₀ = Σ previous = 300, last year's inputs the same):
    /// A₀ = unbounded optimum at 300: 6t − 300 = 300, t = 100: alpha 0 (restatement −100);
    /// budget, risk and gap steps 0; floors and caps: charlie in [120, 150] alone gives
    /// 3t − 200 + 150 = 300, t = 116.67, alpha 16.67 → 17 (floors and caps +17);
    /// damping 80 − 17 = +63. −100 + 17 + 63 = −20 = 80 − 100.
    @Test func dampingAndTheWaterfall() throws {
        let round = try FundingRound(
            budget: 300, damping: DampingBand.parse("0.2"),
            organisations: [
                FundingOrganisation(code: "alpha", riskWeight: 1, scale: 100, previous: 100),
                FundingOrganisation(code: "bravo", riskWeight: 2, scale: 100, previous: 100),
                FundingOrganisation(code: "charlie", riskWeight: 3, scale: 100, previous: 100, floor: 120, cap: 150),
            ])
        let allocation = try round.allocate()
        FundingCheck.expectOptimal(round, allocation)
        #expect(allocation.organisations.map(\.allocation) == [80, 100, 120])
        #expect(abs(allocation.lambda - 0.01) < 1e-15)
        let rows = allocation.explain().organisations
        #expect(rows.map(\.binding) == [.dampingBelow, .none, .dampingAbove])
        #expect(rows.map(\.change) == [-20, 0, 20])
        #expect(rows.map(\.changePercent) == [-20, 0, 20])
        let waterfall = try allocation.waterfall()
        let alpha = waterfall[0]
        let alphaSteps: [Int] = [
            alpha.start, alpha.restatement, alpha.budget, alpha.risk, alpha.gap, alpha.floorsAndCaps, alpha.damping, alpha.end,
        ]
        #expect(alphaSteps == [100, -100, 0, 0, 0, 17, 63, 80])
        // bravo: A₀ 100, A₄ 133 (t = 116.67: 133.33), damping 100 − 133.
        #expect(waterfall[1].floorsAndCaps == 33 && waterfall[1].damping == -33)
        // charlie: A₀ 200, A₄ 150, x 120.
        #expect(waterfall[2].restatement == 100 && waterfall[2].floorsAndCaps == -50 && waterfall[2].damping == -30)
    }
}
