import Foundation
import Testing

@testable import InspectorateCore

@Suite("Funding: bad input and infeasible rounds")
struct FundingInputTests {
    @Test func floorsExceedingTheBudgetSayByHowMuch() throws {
        let round = try FundingRound(
            budget: 400_000, damping: nil,
            organisations: [
                FundingOrganisation(code: "kent", riskWeight: 1, floor: 300_000),
                FundingOrganisation(code: "essex", riskWeight: 1, floor: 512_000),
                FundingOrganisation(code: "surrey", riskWeight: 1),
            ])
        let error = try #require(throws: FundingInfeasible.self) { try round.allocate() }
        #expect(
            error.reasons == [
                .lowerBoundsExceedBudget(
                    excess: 412_000, floors: .init(total: 812_000, organisations: 2), damping: .init(total: 0, organisations: 0))
            ])
        #expect(
            error.headline
                == "floors exceed the budget by £412,000 (floors hold £812,000 on 2 organisations); the budget must be at least £812,000")
    }

    @Test func theBandBelowAndTheFloorsAreToldApart() throws {
        let band = try DampingBand.parse("0.1")
        // Band alone: previous £1,000,000 and £500,000 at 10 %: £900,000 + £450,000 > £1,200,000 by £150,000.
        let banded = try FundingRound(
            budget: 1_200_000, damping: band,
            organisations: [
                FundingOrganisation(code: "kent", riskWeight: 1, previous: 1_000_000),
                FundingOrganisation(code: "essex", riskWeight: 1, previous: 500_000),
            ])
        let error = try #require(throws: FundingInfeasible.self) { try banded.allocate() }
        #expect(error.headline.hasPrefix("the damping band (10%)'s lower limits exceed the budget by £150,000"))
        // Both: kent's floor £950,000 is above its band's bottom, essex held by the band.
        let both = try FundingRound(
            budget: 1_200_000, damping: band,
            organisations: [
                FundingOrganisation(code: "kent", riskWeight: 1, previous: 1_000_000, floor: 950_000),
                FundingOrganisation(code: "essex", riskWeight: 1, previous: 500_000),
            ])
        let mixed = try #require(throws: FundingInfeasible.self) { try both.allocate() }
        #expect(mixed.headline.hasPrefix("floors and the damping band (10%)'s lower limits together exceed the budget by £200,000"))
        #expect(mixed.headline.contains("floors hold £950,000 on 1 organisation; the damping band (10%) holds £450,000 on 1 organisation"))
    }

    @Test func capsShortOfTheBudgetSayByHowMuch() throws {
        let round = try FundingRound(
            budget: 1_000, damping: nil,
            organisations: [
                FundingOrganisation(code: "kent", riskWeight: 1, cap: 300),
                FundingOrganisation(code: "essex", riskWeight: 1, cap: 450),
            ])
        let error = try #require(throws: FundingInfeasible.self) { try round.allocate() }
        #expect(
            error.headline == "caps fall short of the budget by £250 (caps allow £750 on 2 organisations); the budget can be at most £750")
        // One organisation without a cap: no shortfall is possible.
        let open = try FundingRound(
            budget: 1_000, damping: nil, organisations: round.organisations + [FundingOrganisation(code: "surrey", riskWeight: 1)])
        let allocation = try open.allocate()
        FundingCheck.expectOptimal(open, allocation)
        // c = £1,000 ÷ 3 each; unbounded, £333.33 each, over kent's cap: kent £300, essex and surrey £350 each.
        #expect(allocation.organisations.map(\.allocation) == [350, 300, 350])
    }

    /// A floor of £200 against last year's £100 and a band of 10 %: the band's top, £110, is
    /// below the floor, so no allocation can satisfy both, whatever the budget.
    @Test func anOrganisationWithNoRoomIsNamed() throws {
        let round = try FundingRound(
            budget: 10_000, damping: DampingBand.parse("0.1"),
            organisations: [
                FundingOrganisation(code: "kent", riskWeight: 1, previous: 100, floor: 200),
                FundingOrganisation(code: "essex", riskWeight: 1, previous: 5_000, cap: 4_000),
                FundingOrganisation(code: "surrey", riskWeight: 1),
            ])
        let error = try #require(throws: FundingInfeasible.self) { try round.allocate() }
        #expect(
            error.description.contains("kent: its floor £200 is above the damping band (10%)'s upper limit £110 (above last year's £100)"))
        #expect(
            error.description.contains(
                "essex: the damping band (10%)'s lower limit £4,500 (below last year's £5,000) is above its cap £4,000"))
        #expect(throws: FundingInfeasible.self) { try round.sweep() }
        if case .refused(let field, _, let needed) = error.domainError {
            #expect(field == "budget" && needed.count == 2)
        } else {
            Issue.record("expected .refused")
        }
    }

    /// Σ(1 − d)·p fits the budget but the whole-pound bounds ⌈(1 − d)·p⌉ do not: two
    /// organisations on £10 with a band of 5 % have lower bounds of £9.50, i.e. £10 each.
    @Test func wholePoundBoundsCanMakeARoundInfeasible() throws {
        let round = try FundingRound(
            budget: 19, damping: DampingBand.parse("0.05"),
            organisations: [
                FundingOrganisation(code: "a", riskWeight: 1, previous: 10), FundingOrganisation(code: "b", riskWeight: 2, previous: 10),
            ])
        let error = try #require(throws: FundingInfeasible.self) { try round.allocate() }
        #expect(error.headline.hasPrefix("the damping band (5%)'s lower limits exceed the budget by £1"))
    }

    @Test func badInputIsRefusedNamingRowAndColumn() {
        let error = #expect(throws: FundingInputError.self) {
            try FundingRound(
                budget: 100, damping: nil,
                organisations: [
                    FundingOrganisation(code: "kent", riskWeight: 0),
                    FundingOrganisation(code: "essex", riskWeight: -1, scale: .nan),
                    FundingOrganisation(code: "surrey", riskWeight: .infinity, scale: 0, floor: 10, cap: 5),
                    FundingOrganisation(code: "kent", riskWeight: 1, previous: -3),
                ])
        }
        #expect(
            error?.problems.map(\.description) == [
                "row 1, column \"weight\" (kent): must be greater than 0",
                "row 2, column \"weight\" (essex): must be greater than 0",
                "row 2, column \"scale\" (essex): must be a finite number of pounds",
                "row 3, column \"weight\" (surrey): must be a finite number",
                "row 3, column \"scale\" (surrey): must be greater than £0",
                "row 3, column \"floor\" (surrey): the floor £10 is above the cap £5",
                "row 4, column \"previous\" (kent): must not be negative",
                "row 4, column \"organisation\" (kent): kent is given twice (first on row 1)",
            ])
        #expect(error?.validationErrors.errors.first == FieldError("organisations[0].weight", "must be greater than 0"))
    }

    @Test func budgetsAndBandsAreChecked() throws {
        #expect(try FundingRound.parseBudget("25000000") == 25_000_000)
        #expect(try FundingRound.parseBudget("25000000.00") == 25_000_000)
        #expect(throws: FieldError("budget", "The budget must be a whole number of pounds (\"25000000.50\")")) {
            try FundingRound.parseBudget("25000000.50")
        }
        #expect(throws: FieldError("budget", "\"lots\" is not a number of pounds")) { try FundingRound.parseBudget("lots") }
        #expect(throws: FieldError("budget", "\"nan\" is not a number of pounds")) { try FundingRound.parseBudget("nan") }
        #expect(throws: FieldError.self) { try FundingRound.parseBudget("-5") }
        #expect(throws: FundingInputError.self) {
            try FundingRound(budget: -1, damping: nil, organisations: [FundingOrganisation(code: "a", riskWeight: 1)])
        }
        #expect(throws: FundingInputError.self) { try FundingRound(budget: 1, damping: nil, organisations: []) }
        #expect(try DampingBand.parse("0").billionths == 0)
        #expect(try DampingBand.parse(".25").billionths == 250_000_000)
        #expect(try DampingBand.parse("0.999999999").billionths == 999_999_999)
        for bad in ["1", "1.0", "-0.1", "0.1.2", "abc", "", "0.0000000001", "nan"] {
            #expect(throws: FieldError.self, "\(bad)") { try DampingBand.parse(bad) }
        }
        for bad in [Double.nan, .infinity, -0.01, 1, 1.5] {
            #expect(throws: FieldError.self, "\(bad)") { try DampingBand(fraction: bad) }
        }
        #expect(try DampingBand(fraction: 0.1).billionths == 100_000_000)
    }

    @Test func moneyIsWrittenWithoutTheLocale() {
        #expect(Pounds.format(412_000) == "£412,000")
        #expect(Pounds.format(0) == "£0")
        #expect(Pounds.format(-1_250) == "-£1,250")
        #expect(Pounds.format(1_000_000_000_000) == "£1,000,000,000,000")
        #expect(
            Pounds.percent(10) == "10%" && Pounds.percent(2.5) == "2.5%" && Pounds.percent(-0.333) == "-0.33%"
                && Pounds.percent(0.05) == "0.05%")
    }
}
