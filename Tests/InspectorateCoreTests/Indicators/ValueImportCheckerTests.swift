import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

extension Indicators {
    @Suite("Importing indicator values")
    struct ValueImportCheckerTests {
        static let indicators: [Indicator] = {
            // The shipped examples: a quarterly percentage, a yearly rate and two quarterly counts.
            (try? ExampleIndicators.indicators()) ?? []
        }()

        static let organisations = [
            KnownOrganisation(code: "kent", name: "Kent Police", region: "South East", aliases: ["Kent"]),
            KnownOrganisation(code: "essex", name: "Essex Police", region: "East of England", aliases: []),
            KnownOrganisation(code: "btp", name: "British Transport Police", region: nil, aliases: ["BTP"]),
        ]
        static let kinds: [String: OrganisationKind] = ["kent": .territorialForce, "essex": .territorialForce, "btp": .specialForce]

        static func problems(_ csv: String, existing: [ValueKey: ExistingValue] = [:]) -> [String] {
            do {
                _ = try ValueImportChecker.check(
                    csv: csv, indicators: indicators, organisations: organisations, organisationKinds: kinds, existing: { existing[$0] })
                return []
            } catch let invalid as IndicatorImport.Invalid {
                return invalid.problems.map(\.description)
            } catch {
                return ["unexpected \(error)"]
            }
        }

        @Test func goodRowsComeBackAsPositions() throws {
            let csv = """
                indicator,organisation,period,value,status,note
                prevent-isp-partners,kent,2009-Q2,45,,
                prevent-isp-partners,Kent Police,2009-Q3,52.5,final,
                prevent-engagement-staff-rate,BTP,2009/10,1.25,,
                prevent-support-referrals,essex,2009-Q2,7,provisional,
                """
            let rows = try ValueImportChecker.check(
                csv: csv, indicators: Self.indicators, organisations: Self.organisations, organisationKinds: Self.kinds)
            #expect(rows.map(\.line) == [2, 3, 4, 5])
            #expect(rows.map(\.indicator) == [0, 0, 1, 3])
            #expect(rows.map(\.organisation) == [0, 0, 2, 1])
            #expect(
                rows.map(\.period) == [
                    .quarter(year: 2009, quarter: 2), .quarter(year: 2009, quarter: 3), .financialYear(startYear: 2009),
                    .quarter(year: 2009, quarter: 2),
                ])
            #expect(rows.map(\.value) == [45, 52.5, 1.25, 7])
            #expect(rows.map(\.status) == [.provisional, .final, .provisional, .provisional])
            #expect(rows.allSatisfy { $0.change == .new && $0.note == nil })
        }

        @Test func everyBadRowIsNamedWithItsLine() {
            let csv = """
                indicator,organisation,period,value
                prevent-unknown,kent,2009-Q2,45
                prevent-isp-partners,Kent County Council,2009-Q2,45
                prevent-isp-partners,kent,Q2 2009,45
                prevent-isp-partners,kent,2009-04,45
                prevent-isp-partners,kent,2009-Q2,140
                prevent-community-contacts,kent,2009-Q2,high
                prevent-community-contacts,kent,2009-Q3,12.5
                prevent-isp-partners,kent,2009-Q4,45%
                prevent-community-contacts,essex,2009-Q2,"1,234"
                prevent-isp-partners,essex,2009-Q2,60
                prevent-isp-partners,essex,2009-Q2,61
                prevent-isp-partners,btp,2009-Q2,50
                ,kent,2009-Q2,
                prevent-engagement-staff-rate,kent,2009-Q2,-1
                """
            #expect(
                Self.problems(csv) == [
                    "line 2: indicator \"prevent-unknown\" is not known",
                    "line 3: organisation \"Kent County Council\" is not known by its code, name or an alias",
                    "line 4: period \"Q2 2009\" is not a period; write a month like 2009-04, a quarter like 2009-Q2 or a financial year like 2009/10",
                    "line 5: period 2009-04 is a month, but this indicator is reported for a quarter at a time, like 2009-Q2",
                    "line 6: value 140 is not a percentage: a percentage is from 0 to 100",
                    "line 7: value \"high\" is not a number",
                    "line 8: value 12.5 is not a count: a count is a whole number, 0 or more",
                    "line 9: value \"45%\" is not a plain number; write it without %, like 45",
                    "line 10: value \"1,234\" is not a plain number; write it without thousands separators",
                    "line 12: prevent-isp-partners / essex / 2009-Q2 is given earlier in this file; give each value once",
                    "line 13: prevent-isp-partners is not reported by a special force (it applies to: territorial force)",
                    "line 14: indicator is empty",
                    "line 14: value is empty",
                    "line 15: period 2009-Q2 is a quarter, but this indicator is reported for a financial year at a time, like 2009/10",
                    "line 15: value -1 is not a rate per 100,000: a rate is 0 or more",
                ])
        }

        @Test func revisionsNeedANote() {
            let key = ValueKey(indicator: "prevent-isp-partners", organisation: "kent", period: .quarter(year: 2009, quarter: 2))
            let held = [key: ExistingValue(value: 45, status: .provisional)]
            #expect(
                Self.problems("indicator,organisation,period,value\nprevent-isp-partners,kent,2009-Q2,47\n", existing: held) == [
                    "line 2: prevent-isp-partners / kent / 2009-Q2 is held as 45; changing it to 47 needs a note saying why"
                ])
            #expect(
                Self.problems(
                    "indicator,organisation,period,value,note\nprevent-isp-partners,kent,2009-Q2,47,Late return from two partners\n",
                    existing: held) == [])
            #expect(Self.problems("indicator,organisation,period,value\nprevent-isp-partners,kent,2009-Q2,45\n", existing: held) == [])
            let final = [key: ExistingValue(value: 45, status: .final)]
            #expect(
                Self.problems(
                    "indicator,organisation,period,value,status\nprevent-isp-partners,kent,2009-Q2,45,provisional\n", existing: final) == [
                        "line 2: prevent-isp-partners / kent / 2009-Q2 is final; it cannot become provisional again"
                    ])
            #expect(
                Self.problems("indicator,organisation,period,value,status\nprevent-isp-partners,kent,2009-Q3,45,revised\n", existing: held)
                    == [
                        "line 2: status is revised, but no value is held for prevent-isp-partners / kent / 2009-Q3 to revise"
                    ])
            #expect(
                Self.problems("indicator,organisation,period,value,status\nprevent-isp-partners,kent,2009-Q3,45,settled\n") == [
                    "line 2: status \"settled\" is not one of provisional, final, revised"
                ])
        }

        @Test func revisionsAndConfirmationsAreMarked() throws {
            let q2 = ValueKey(indicator: "prevent-isp-partners", organisation: "kent", period: .quarter(year: 2009, quarter: 2))
            let q3 = ValueKey(indicator: "prevent-isp-partners", organisation: "kent", period: .quarter(year: 2009, quarter: 3))
            let held = [q2: ExistingValue(value: 45, status: .provisional), q3: ExistingValue(value: 50, status: .provisional)]
            let csv =
                "indicator,organisation,period,value,status,note\nprevent-isp-partners,kent,2009-Q2,47,,Late return\nprevent-isp-partners,kent,2009-Q3,50,final,\n"
            let rows = try ValueImportChecker.check(
                csv: csv, indicators: Self.indicators, organisations: Self.organisations, existing: { held[$0] })
            #expect(rows.map(\.change) == [.revision(previous: 45), .unchanged])
            #expect(rows.map(\.status) == [.revised, .final])
            #expect(rows[0].note == "Late return")
        }

        @Test func headerProblemsStopBeforeTheRows() {
            #expect(Self.problems("indicator,organisation,value\n") == ["line 1: required column \"period\" is missing"])
            #expect(
                Self.problems("indicator,organisation,period,value,name\n") == [
                    "line 1: column \"name\" is not one this import reads (indicator, organisation, period, value, status, note)"
                ])
            #expect(Self.problems("indicator,organisation,period,value,Value\n") == ["line 1: column \"value\" is given twice"])
            #expect(Self.problems("") == ["the file is empty"])
            #expect(Self.problems("Indicator , ORGANISATION,period,value\n") == [])
        }

        @Test func linesCountQuotedLineBreaks() {
            let csv =
                "indicator,organisation,period,value,note\nprevent-isp-partners,kent,2009-Q2,45,\"a note\non two lines\"\nprevent-isp-partners,kent,2009-Q3,145,\n"
            #expect(Self.problems(csv) == ["line 4: value 145 is not a percentage: a percentage is from 0 to 100"])
            #expect(
                Self.problems("indicator,organisation,period,value\nprevent-isp-partners,kent,2009-Q2,\"45\n") == [
                    "line 2: a quoted field is not closed before the end of the file"
                ])
        }

        @Test func longNotesAreRefused() {
            let note = String(repeating: "x", count: valueNoteMaximumLength + 1)
            #expect(
                Self.problems("indicator,organisation,period,value,note\nprevent-isp-partners,kent,2009-Q2,45,\(note)\n") == [
                    "line 2: note is \(valueNoteMaximumLength + 1) characters; a note says why a figure changed in at most \(valueNoteMaximumLength)"
                ])
        }

        @Test func duplicatesAreFoundFarApartInTime() throws {
            let monthly = try Indicator(
                code: "m", title: "Monthly", definition: "d", unit: .count, kind: .output, polarity: .neither, source: "s",
                frequency: .month,
                appliesTo: [.territorialForce])
            var lines = ["indicator,organisation,period,value"]
            let months = ["1950-01", "2009-04", "1950-01", "2030-12", "2009-04", "2030-12", "1900-01", "1900-01"]
            for month in months { lines.append("m,kent,\(month),1") }
            do {
                _ = try ValueImportChecker.check(
                    csv: lines.joined(separator: "\n"), indicators: [monthly], organisations: Self.organisations)
                Issue.record("duplicates not found")
            } catch let invalid as IndicatorImport.Invalid {
                #expect(invalid.problems.map(\.line) == [4, 6, 7, 9])
            }
        }

        @Test func aLimitCountsTheRest() throws {
            var checker = try ValueImportChecker(
                header: ["indicator", "organisation", "period", "value"], indicators: Self.indicators, organisations: Self.organisations,
                problemLimit: 2)
            try CSVStreamReader.records(in: "x,kent,2009-Q2,1\ny,kent,2009-Q2,1\nz,kent,2009-Q2,1\n") { _ = checker.check($0) }
            #expect(checker.problems.count == 2 && checker.problemsNotListed == 1 && checker.badRows == 3 && checker.rows == 3)
        }

        @Test func piecesOfAnySizeGiveTheSameAnswer() async throws {
            let csv =
                "indicator,organisation,period,value,note\r\n"
                + (0..<40).map { index in
                    let period = ReportingPeriod.at(ordinal: 2009 * 4 + index % 13, frequency: .quarter)?.description ?? "?"
                    let value = index % 7 == 0 ? "140" : String(index * 2)
                    return "prevent-isp-partners,\(index % 3 == 0 ? "Kent" : "essex"),\(period),\(value),\"n, \(index)\""
                }.joined(separator: "\r\n")
            let whole = Self.problems(csv)
            #expect(!whole.isEmpty)
            await propertyCheck(count: 50, input: Gen.int(in: 1...64)) { size in
                var checker: ValueImportChecker?
                var reader = CSVStreamReader()
                let bytes = Array(csv.utf8)
                func take(_ record: CSVRecord) {
                    if checker == nil {
                        checker = try? ValueImportChecker(
                            header: (0..<record.count).map(record.string), indicators: Self.indicators, organisations: Self.organisations)
                    } else {
                        _ = checker?.check(record)
                    }
                }
                for start in stride(from: 0, to: bytes.count, by: size) {
                    try? bytes[start..<min(bytes.count, start + size)].withUnsafeBufferPointer { piece in
                        try reader.read(piece, record: take)
                    }
                }
                try? reader.finish(record: take)
                #expect(checker?.problems.map(\.description) == whole)
            }
        }

        @Test func decimalsAreReadFromTheBytes() {
            func decimal(_ text: String) -> Double? { Array(text.utf8).withUnsafeBufferPointer(CSVBytes.decimal) }
            #expect(decimal("42") == 42 && decimal("-3") == -3 && decimal("+4") == 4)
            #expect(decimal("12.5") == 12.5 && decimal("0.25") == 0.25 && decimal(".5") == 0.5 && decimal("7.") == 7)
            #expect(decimal("0.1") == 0.1 && decimal("123456789012.345") == 123456789012.345)
            #expect(decimal("12345678901234567890.5") == 12345678901234567890.5)
            for bad in ["", "-", ".", "1e5", "nan", "inf", "1,5", "45%", "1.2.3", " 4", "--1"] { #expect(decimal(bad) == nil, "\(bad)") }
        }

        @Test func decimalsMatchTheStandardLibrary() async {
            await propertyCheck(count: 500, input: Gen.int(in: -99_999_999...99_999_999), Gen.int(in: 0...9)) { mantissa, places in
                var text = String(abs(mantissa))
                if places > 0 {
                    while text.count <= places { text = "0" + text }
                    text.insert(".", at: text.index(text.endIndex, offsetBy: -places))
                }
                if mantissa < 0 { text = "-" + text }
                let parsed = Array(text.utf8).withUnsafeBufferPointer(CSVBytes.decimal)
                #expect(parsed == Double(text), "\(text)")
            }
        }
    }
}
