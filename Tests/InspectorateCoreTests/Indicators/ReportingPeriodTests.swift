import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

extension Indicators {
    @Suite("Reporting periods")
    struct ReportingPeriodTests {
        @Test func readsTheThreeShapes() throws {
            #expect(try ReportingPeriod.parse("2009-04") == .month(year: 2009, month: 4))
            #expect(try ReportingPeriod.parse("2009-Q2") == .quarter(year: 2009, quarter: 2))
            #expect(try ReportingPeriod.parse(" 2009/10 ") == .financialYear(startYear: 2009))
            #expect(try ReportingPeriod.parse("1999/00") == .financialYear(startYear: 1999))
        }

        @Test(arguments: [
            "2009-4", "2009-13", "2009-00", "Q2 2009", "2009-Q5", "2009-Q0", "2009-q2", "2009/2010", "2009/11", "2009-10-01", "", "april",
            "0999-01", "2009 /10",
        ])
        func refusesOtherSpellings(text: String) {
            #expect(throws: FieldError.self) { try ReportingPeriod.parse(text, field: "period") }
            do { _ = try ReportingPeriod.parse(text, field: "rows[3].period") } catch let error as FieldError {
                #expect(error.field == "rows[3].period")
            } catch { Issue.record("\(error)") }
        }

        @Test func messagesSayWhatIsWrong() {
            #expect(throws: FieldError("period", "\"2009/11\" is not a financial year: the year after 2009 is written 2009/10")) {
                try ReportingPeriod.parse("2009/11")
            }
            #expect(throws: FieldError("period", "\"2009-Q5\" is not a quarter: quarters are Q1 to Q4, like 2009-Q2")) {
                try ReportingPeriod.parse("2009-Q5")
            }
            #expect(throws: FieldError("period", "\"2009-13\" is not a month: months are 01 to 12, like 2009-04")) {
                try ReportingPeriod.parse("2009-13")
            }
            #expect(
                throws: FieldError("period", "2009-04 is a month, but this indicator is reported for a quarter at a time, like 2009-Q2")
            ) {
                try ReportingPeriod.parse("2009-04", frequency: .quarter)
            }
        }

        @Test func financialYearsRunAprilToMarch() throws {
            let year = try ReportingPeriod.parse("2009/10")
            #expect(year.start == (try CivilDate.parse("2009-04-01")))
            #expect(year.end == (try CivilDate.parse("2010-03-31")))
            #expect(ReportingPeriod.containing(try CivilDate.parse("2010-03-31"), frequency: .financialYear) == year)
            #expect(
                ReportingPeriod.containing(try CivilDate.parse("2010-04-01"), frequency: .financialYear) == .financialYear(startYear: 2010))
            #expect(year.displayName == "2009/10 (April 2009 to March 2010)")
        }

        @Test func quartersAndMonthsHaveTheirDays() throws {
            let quarter = ReportingPeriod.quarter(year: 2009, quarter: 2)
            #expect(quarter.start.description == "2009-04-01" && quarter.end.description == "2009-06-30")
            #expect(quarter.displayName == "April to June 2009")
            #expect(ReportingPeriod.month(year: 2008, month: 2).end.description == "2008-02-29")
            #expect(ReportingPeriod.quarter(year: 2009, quarter: 4).end.description == "2009-12-31")
            #expect(ReportingPeriod.containing(try CivilDate.parse("2009-06-30"), frequency: .quarter) == quarter)
            #expect(ReportingPeriod.containing(try CivilDate.parse("2009-07-01"), frequency: .quarter) == .quarter(year: 2009, quarter: 3))
            let (inside, outside) = (try CivilDate.parse("2009-05-15"), try CivilDate.parse("2009-07-01"))
            #expect(quarter.contains(inside) && !quarter.contains(outside))
        }

        @Test func nextAndPreviousCrossYears() {
            #expect(ReportingPeriod.month(year: 2009, month: 12).next == .month(year: 2010, month: 1))
            #expect(ReportingPeriod.quarter(year: 2010, quarter: 1).previous == .quarter(year: 2009, quarter: 4))
            #expect(ReportingPeriod.financialYear(startYear: 2009).next == .financialYear(startYear: 2010))
            #expect(ReportingPeriod.month(year: 1900, month: 1).previous == nil)
            #expect(ReportingPeriod.financialYear(startYear: 9998).next == nil)
            #expect(ReportingPeriod.quarter(year: 2009, quarter: 2).distance(to: .quarter(year: 2011, quarter: 1)) == 7)
            #expect(ReportingPeriod.quarter(year: 2009, quarter: 2).distance(to: .month(year: 2009, month: 4)) == nil)
        }

        @Test func frequenciesAndOrder() {
            #expect(ReportingPeriod.month(year: 2009, month: 4).frequency == .month)
            #expect(ReportingPeriod.quarter(year: 2009, quarter: 2).frequency == .quarter)
            #expect(ReportingPeriod.financialYear(startYear: 2009).frequency == .financialYear)
            let sorted: [ReportingPeriod] = [
                .financialYear(startYear: 2009), .month(year: 2009, month: 4), .quarter(year: 2009, quarter: 2),
                .month(year: 2009, month: 3),
            ].sorted()
            #expect(
                sorted == [
                    .month(year: 2009, month: 3), .month(year: 2009, month: 4), .quarter(year: 2009, quarter: 2),
                    .financialYear(startYear: 2009),
                ])
        }

        @Test func jsonIsTheWrittenForm() throws {
            let data = try JSONEncoder().encode([ReportingPeriod.quarter(year: 2009, quarter: 2)])
            #expect(String(decoding: data, as: UTF8.self) == "[\"2009-Q2\"]")
            #expect(try JSONDecoder().decode([ReportingPeriod].self, from: data) == [.quarter(year: 2009, quarter: 2)])
        }

        /// A period of any frequency from three numbers: which kind, the year, and a month,
        /// folded to a quarter for quarters.
        static func period(_ kind: Int, _ year: Int, _ part: Int) -> ReportingPeriod {
            switch kind {
            case 0: .month(year: year, month: part)
            case 1: .quarter(year: year, quarter: (part - 1) / 3 + 1)
            default: .financialYear(startYear: year)
            }
        }

        @Test func writtenFormsReadBack() async {
            await propertyCheck(count: 500, input: Gen.int(in: 0...2), Gen.int(in: 1900...9998), Gen.int(in: 1...12)) { kind, year, part in
                let period = Self.period(kind, year, part)
                #expect((try? ReportingPeriod.parse(period.description)) == period)
                let bytes = Array(period.description.utf8)
                #expect(bytes.withUnsafeBufferPointer(ReportingPeriod.parse(bytes:)) == period)
            }
        }

        @Test func neighboursAreConsistent() async {
            await propertyCheck(count: 500, input: Gen.int(in: 0...2), Gen.int(in: 1900...9998), Gen.int(in: 1...12)) { kind, year, part in
                let period = Self.period(kind, year, part)
                if let next = period.next {
                    #expect(next.previous == period)
                    #expect(period < next)
                    #expect(next.start == period.end.adding(days: 1))
                    #expect(period.distance(to: next) == 1)
                }
                #expect(ReportingPeriod.containing(period.start, frequency: period.frequency) == period)
                #expect(ReportingPeriod.containing(period.end, frequency: period.frequency) == period)
                #expect(ReportingPeriod.at(ordinal: period.ordinal, frequency: period.frequency) == period)
            }
        }
    }
}
