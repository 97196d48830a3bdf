import Foundation
import Testing

@testable import InspectorateCore

extension Indicators {
    @Suite("Trends, targets and national figures")
    struct IndicatorSeriesTests {
        static func indicator(
            polarity: Polarity = .higherIsBetter, unit: IndicatorUnit = .percentage, targets: [IndicatorTarget] = []
        ) throws -> Indicator {
            try Indicator(
                code: "isp", title: "Partners with a protocol", definition: "d", unit: unit, kind: .outcome, polarity: polarity,
                source: "s",
                caveats: ["Self-reported."], frequency: .quarter, appliesTo: [.territorialForce], targets: targets)
        }

        static func value(
            _ organisation: String, _ year: Int, _ quarter: Int, _ value: Double, _ status: ValueStatus = .final
        ) -> IndicatorValue {
            IndicatorValue(
                key: ValueKey(indicator: "isp", organisation: organisation, period: .quarter(year: year, quarter: quarter)), value: value,
                status: status)
        }

        static let values = [
            value("kent", 2009, 4, 55), value("kent", 2009, 2, 40), value("kent", 2010, 1, 60, .provisional), value("kent", 2009, 3, 50),
            value("essex", 2009, 2, 90),
            IndicatorValue(
                key: ValueKey(indicator: "other", organisation: "kent", period: .month(year: 2009, month: 4)), value: 1, status: .final),
        ]

        @Test func aSeriesIsInTimeOrderAndItsOwn() throws {
            let series = try IndicatorSeries(indicator: try Self.indicator(), organisation: "kent", values: Self.values)
            #expect(series.points.map(\.value) == [40, 50, 55, 60])
            #expect(series.latest?.period == .quarter(year: 2010, quarter: 1) && series.latest?.status == .provisional)
            #expect(series.value(at: .quarter(year: 2009, quarter: 3))?.value == 50)
            #expect(series.value(at: .quarter(year: 2011, quarter: 3)) == nil)
            #expect(series.gaps.isEmpty)
        }

        @Test func gapsAreShownNotBridged() throws {
            let values = [Self.value("kent", 2009, 2, 40), Self.value("kent", 2010, 1, 60)]
            let series = try IndicatorSeries(indicator: try Self.indicator(), organisation: "kent", values: values)
            #expect(series.gaps == [.quarter(year: 2009, quarter: 3), .quarter(year: 2009, quarter: 4)])
            #expect(series.movement() == nil)
        }

        @Test func aWrongFrequencyOrTwoValuesForOnePeriodAreRefused() throws {
            let monthly = IndicatorValue(
                key: ValueKey(indicator: "isp", organisation: "kent", period: .month(year: 2009, month: 4)), value: 1, status: .final)
            #expect(throws: FieldError.self) {
                try IndicatorSeries(indicator: try Self.indicator(), organisation: "kent", values: [monthly])
            }
            #expect(throws: FieldError("period", "kent has two values of isp for 2009-Q2")) {
                try IndicatorSeries(
                    indicator: try Self.indicator(), organisation: "kent",
                    values: [Self.value("kent", 2009, 2, 1), Self.value("kent", 2009, 2, 2)])
            }
        }

        @Test func movementIsJudgedByPolarity() throws {
            let up = try IndicatorSeries(indicator: try Self.indicator(), organisation: "kent", values: Self.values).movement()
            #expect(
                up
                    == Movement(
                        from: .quarter(year: 2009, quarter: 4), to: .quarter(year: 2010, quarter: 1), earlier: 55, later: 60,
                        polarity: .higherIsBetter))
            #expect(up?.change == 5 && up?.judgement == .better)
            #expect(
                try IndicatorSeries(indicator: try Self.indicator(polarity: .lowerIsBetter), organisation: "kent", values: Self.values)
                    .movement()?.judgement == .worse)
            #expect(
                try IndicatorSeries(indicator: try Self.indicator(polarity: .neither), organisation: "kent", values: Self.values)
                    .movement()?.judgement == .noJudgement)
            #expect(
                Movement(
                    from: .quarter(year: 2009, quarter: 4), to: .quarter(year: 2010, quarter: 1), earlier: 5, later: 5, polarity: .neither
                ).judgement == .same)
            let series = try IndicatorSeries(indicator: try Self.indicator(), organisation: "kent", values: Self.values)
            #expect(series.movement(to: .quarter(year: 2009, quarter: 3))?.change == 10)
            #expect(series.movement(to: .quarter(year: 2009, quarter: 2)) == nil)
        }

        @Test func theTargetThatAppliesIsAssessed() throws {
            let national = IndicatorTarget(value: 75, date: try CivilDate.parse("2010-03-31"))
            let kents = IndicatorTarget(value: 60, date: try CivilDate.parse("2010-03-31"), organisation: "kent")
            let indicator = try Self.indicator(targets: [national, kents])
            let kent = try IndicatorSeries(indicator: indicator, organisation: "kent", values: Self.values)
            let assessment = try #require(kent.assessment())
            #expect(assessment.target == kents && assessment.met && assessment.due && assessment.gap == 0)
            let earlier = try #require(kent.assessment(at: .quarter(year: 2009, quarter: 3)))
            #expect(!earlier.met && !earlier.due && earlier.gap == -10)
            #expect(kent.assessment(at: .quarter(year: 2012, quarter: 1)) == nil)
            let essex = try IndicatorSeries(indicator: indicator, organisation: "essex", values: Self.values)
            #expect(essex.assessment()?.target == national && essex.assessment()?.met == true)
            let none = try IndicatorSeries(indicator: try Self.indicator(polarity: .neither), organisation: "kent", values: Self.values)
            #expect(none.assessment() == nil)
        }

        @Test func theNationalFigureIsTheMedian() throws {
            let indicator = try Self.indicator(targets: [IndicatorTarget(value: 50, date: try CivilDate.parse("2010-03-31"))])
            let figures = NationalFigures(
                indicator: indicator, period: .quarter(year: 2010, quarter: 1), organisations: ["a", "b", "c", "d", "e", "f"],
                values: ["a": 10, "b": 60, "c": 50, "d": 95, "e": 40], previous: ["a": 20, "b": 55, "c": 50])
            // Written by hand: 10, 40, 50, 60, 95 → median 50, quartiles 40 and 60.
            #expect(figures.nationalFigure == 50)
            #expect(figures.distribution?.lowerQuartile == 40 && figures.distribution?.upperQuartile == 60)
            #expect(figures.withoutValue == ["f"] && figures.distribution?.n == 5)
            #expect(figures.meetingTarget == ["b", "c", "d"] && figures.notMeetingTarget == ["a", "e"])
            #expect(figures.movement[.better] == ["b"] && figures.movement[.worse] == ["a"] && figures.movement[.same] == ["c"])
            #expect(figures.noPreviousValue == ["d", "e"])
            #expect(figures.total == nil && figures.caveats == ["Self-reported."])
        }

        @Test func aCountAlsoHasItsTotal() throws {
            let figures = NationalFigures(
                indicator: try Self.indicator(polarity: .neither, unit: .count), period: .quarter(year: 2010, quarter: 1),
                organisations: ["a", "b"],
                values: ["a": 3, "b": 4], previous: [:])
            #expect(figures.total == 7 && figures.nationalFigure == 3.5 && figures.meetingTarget.isEmpty)
            let empty = NationalFigures(
                indicator: try Self.indicator(), period: .quarter(year: 2010, quarter: 1), organisations: ["a"], values: [:], previous: [:])
            #expect(empty.nationalFigure == nil && empty.withoutValue == ["a"])
        }
    }
}
