import Foundation
import Testing

@testable import InspectorateCore

extension Recommendations {
    /// Hand-worked forecasts. The 2008 and 2009 cycles' results are dated 31 March; 31 March
    /// 2008 to 31 March 2009 is 365 days, as is 31 March 2009 to the deadline, 31 March 2010.
    @Suite("Minimum-capability forecast")
    struct CapabilityForecastTests {
        let deadline = Fixture.date("2010-03-31")
        let asOf = Fixture.date("2009-06-24")
        let scale = 1...4

        func points(_ pairs: [(String, Int)]) -> [JudgedLevel] {
            pairs.enumerated().map { JudgedLevel(cycle: "cycle-\($0.offset + 1)", date: Fixture.date($0.element.0), level: $0.element.1) }
        }

        func area(_ pairs: [(String, Int)], minimum: Int, asOf: String = "2009-06-24") -> AreaForecast {
            CapabilityForecast.forecast(
                area: "leadership", minimum: minimum, points: points(pairs), asOf: Fixture.date(asOf), deadline: deadline, scale: scale)
        }

        func close(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) < 1e-6 } ?? false }

        @Test func noMovementMissesButCouldGoEitherWay() {
            let forecast = area([("2008-03-31", 2), ("2009-03-31", 2)], minimum: 3)
            #expect(!forecast.metNow && forecast.level == 2)
            #expect(close(forecast.trend?.ratePerYear, 0))
            #expect(close(forecast.projected, 2))
            #expect(forecast.outcome == .missed && forecast.basis == .projection)
            // Whole levels: the rate could be ±1 level over the 365 days between the judgements,
            // so by the deadline anything from 2 − 1 = 1 to 2 + 1 + 1 = 4: the minimum is inside.
            #expect(close(forecast.trend?.range.lowerBound, -365.25 / 365) && close(forecast.trend?.range.upperBound, 365.25 / 365))
            #expect(close(forecast.projectedRange?.lowerBound, 1) && close(forecast.projectedRange?.upperBound, 4))
            #expect(!forecast.isRobust)
            #expect(
                forecast.statement.hasPrefix(
                    "The rate rests on a single difference between two cycles: level 2 in cycle-1 (2008-03-31) to level 2 in cycle-2 (2009-03-31), 1.00 years apart: 0.00 levels a year."
                ))
            #expect(forecast.statement.hasSuffix("so the forecast could go either way."))
        }

        @Test func movementAwayFromTheMinimumMissesWhicheverWayTheLevelsFall() {
            let forecast = area([("2008-03-31", 3), ("2009-03-31", 2)], minimum: 3)
            #expect(!forecast.metNow)
            #expect(close(forecast.trend?.ratePerYear, -365.25 / 365))
            #expect(close(forecast.projected, 1))
            #expect(forecast.outcome == .missed)
            // Fastest rate the judgements allow is 0: from just under 3 to 2.99…; so below 3 at best.
            #expect(close(forecast.projectedRange?.lowerBound, 1) && close(forecast.projectedRange?.upperBound, 3))
            #expect(forecast.isRobust)
            #expect(forecast.statement.contains("-1.00 levels a year"))
            #expect(forecast.statement.hasSuffix("the forecast holds across that range."))
        }

        @Test func oneCycleOnlyHasNoRateAndNoneIsInvented() {
            let forecast = area([("2009-03-31", 2)], minimum: 3)
            #expect(forecast.trend == nil && forecast.projected == nil && forecast.projectedRange == nil)
            #expect(forecast.outcome == .notEnoughHistory && forecast.basis == .none)
            #expect(forecast.missing == .oneJudgement(JudgedLevel(cycle: "cycle-1", date: Fixture.date("2009-03-31"), level: 2)))
            #expect(
                forecast.statement
                    == "Judged in one cycle only (level 2 in cycle-1, 2009-03-31): one cycle gives no rate of movement, so there is not enough history for a forecast. It does not meet the minimum (level 3) now."
            )
        }

        @Test func alreadyMetAndRising() {
            let forecast = area([("2008-03-31", 2), ("2009-03-31", 3)], minimum: 3)
            #expect(forecast.metNow)
            #expect(close(forecast.projected, 4))
            #expect(forecast.outcome == .met)
            // The slowest rate allowed is 0: still at 3 on the deadline, which meets it.
            #expect(close(forecast.projectedRange?.lowerBound, 3))
            #expect(forecast.isRobust)
        }

        @Test func reachingTheMinimumExactlyOnTheDeadlineMeetsIt() {
            // One level a year (1 in 365 days); 365 days more to the deadline: 3 + 1 = 4 exactly.
            let forecast = area([("2008-03-31", 2), ("2009-03-31", 3)], minimum: 4)
            #expect(!forecast.metNow)
            #expect(close(forecast.projected, 4))
            #expect(forecast.outcome == .met)
            #expect(!forecast.isRobust, "with two judgements it could as well be 3 at the deadline")
        }

        @Test func threeCyclesUseLeastSquaresWithAStandardError() {
            // t = 0, 365, 730 days; levels 1, 3, 2. Mean t 365, mean level 2; Σ(t − t̄)² = 2·365²;
            // Σ(t − t̄)(y − ȳ) = 365; slope 1/730 a day, 365.25/730 = 0.5003 a year. Fitted 1.5,
            // 2, 2.5; residuals −0.5, 1, −0.5; s² = 1.5; standard error √1.5/(365·√2)·365.25.
            let deadline = Fixture.date("2012-03-31")
            let forecast = CapabilityForecast.forecast(
                area: "leadership", minimum: 3, points: points([("2009-04-01", 1), ("2010-04-01", 3), ("2011-04-01", 2)]),
                asOf: Fixture.date("2011-06-01"), deadline: deadline, scale: scale)
            #expect(close(forecast.trend?.ratePerYear, 365.25 / 730))
            #expect(close(forecast.trend?.standardError, 1.5.squareRoot() / (365 * 2.0.squareRoot()) * 365.25))
            // Each weight is ±1/730 or 0: the rate could be 0 to 2/730 a day.
            #expect(close(forecast.trend?.range.lowerBound, 0) && close(forecast.trend?.range.upperBound, 2 * 365.25 / 730))
            // 365 days from the last judgement: 2 + 365/730 = 2.5, short of 3.
            #expect(close(forecast.projected, 2.5))
            #expect(forecast.outcome == .missed)
            #expect(close(forecast.projectedRange?.lowerBound, 2) && close(forecast.projectedRange?.upperBound, 4))
            #expect(
                forecast.statement.hasPrefix(
                    "Least-squares rate over 3 cycles, cycle-1 (2009-04-01) to cycle-3 (2011-04-01): 0.50 levels a year, standard error 0.87."
                ))
        }

        @Test func resultsAfterTheAsAtDayAreNotYetKnown() {
            let forecast = area([("2008-03-31", 2), ("2009-03-31", 3)], minimum: 3, asOf: "2009-03-30")
            #expect(forecast.level == 2 && !forecast.metNow)
            #expect(forecast.outcome == .notEnoughHistory)
        }

        @Test func afterTheDeadlineTheLevelThatStoodOnItDecides() {
            // Reached 3 in May 2010, after the deadline: 2 stood on 31 March.
            let late = area([("2009-03-31", 2), ("2010-05-01", 3)], minimum: 3, asOf: "2010-06-01")
            #expect(late.metNow)
            #expect(late.outcome == .missed && late.basis == .levelAtDeadline && late.projected == nil)
            #expect(
                late.statement.contains(
                    "level 2, judged in cycle-1 (2009-03-31), stood on it against a minimum of 3, so the minimum was missed"))
            let never = area([], minimum: 2, asOf: "2010-06-01")
            #expect(never.outcome == .missed && never.level == nil)
        }

        @Test func judgementsAllOnOneDayGiveNoRate() {
            let forecast = area([("2009-03-31", 2), ("2009-03-31", 3)], minimum: 3)
            #expect(forecast.missing == .oneDay(Fixture.date("2009-03-31")))
            #expect(forecast.outcome == .notEnoughHistory)
        }

        @Test func aProjectionStopsAtTheEndsOfTheScale() {
            let forecast = area([("2008-03-31", 1), ("2009-03-31", 4)], minimum: 4)
            #expect(close(forecast.projected, 4))
            let falling = area([("2008-03-31", 4), ("2009-03-31", 1)], minimum: 2)
            #expect(close(falling.projected, 1))
        }

        @Test func organisationsAndTheNationalCounts() {
            let cycles2008 = Fixture.date("2008-03-31")
            let cycles2009 = Fixture.date("2009-03-31")
            let minimums = ["leadership": 3, "partnership": 2]
            let inputs = [
                // Meets both now and rising: met.
                CapabilityInput(
                    organisation: "kent", minimums: minimums,
                    cycles: [
                        CycleLevels(cycle: "c2008", date: cycles2008, areaLevels: ["leadership": 2, "partnership": 2]),
                        CycleLevels(cycle: "c2009", date: cycles2009, areaLevels: ["leadership": 3, "partnership": 2]),
                    ]),
                // Partnership falling away: missed overall.
                CapabilityInput(
                    organisation: "essex", minimums: minimums,
                    cycles: [
                        CycleLevels(cycle: "c2008", date: cycles2008, areaLevels: ["leadership": 3, "partnership": 3]),
                        CycleLevels(cycle: "c2009", date: cycles2009, areaLevels: ["leadership": 3, "partnership": 2]),
                    ]),
                // One cycle only, meets leadership, not partnership: cannot tell.
                CapabilityInput(
                    organisation: "dorset", minimums: minimums,
                    cycles: [CycleLevels(cycle: "c2009", date: cycles2009, areaLevels: ["leadership": 3, "partnership": 1])]),
            ]
            let status = MinimumCapabilityStatus.compute(inputs, asOf: asOf, deadline: deadline, scale: scale)
            #expect(status.organisations.map(\.organisation) == ["dorset", "essex", "kent"])
            #expect(status.organisations.map(\.outcome) == [.notEnoughHistory, .missed, .met])
            #expect(status.organisations.map(\.metNow) == [false, true, true])
            #expect(status.overall.organisations == 3 && status.overall.metNow == 2)
            #expect(status.overall.forecastMet == 1 && status.overall.forecastMissed == 1 && status.overall.notEnoughHistory == 1)
            #expect(status.byArea["leadership"]?.metNow == 3)
            #expect(status.byArea["partnership"]?.metNow == 2)
            #expect(status.byArea["partnership"]?.forecastMissed == 1)
            #expect(status.missing == ["essex"])
        }

        @Test func theMethodIsStatedForThePage() {
            for phrase in ["least-squares", "not enough history", "Assumptions", "Uncertainty", "whole numbers", "standard error"] {
                #expect(CapabilityForecast.method.localizedCaseInsensitiveContains(phrase))
            }
        }
    }
}
