import Foundation
import Testing

@testable import InspectorateCore

@Suite("Funding: the CSV file and `inspectorate allocate`")
struct FundingAllocateCommandTests {
    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    static func run(_ arguments: [String], files: [String: String]) -> Run {
        var output = ""
        var errors = ""
        let status = AllocateCommand.run(
            arguments: arguments,
            readFile: { path in
                guard let text = files[path] else { throw CocoaError(.fileReadNoSuchFile) }
                return Array(text.utf8)
            },
            write: { output += $0 }, writeError: { errors += $0 })
        return Run(status: status, output: output, errors: errors)
    }

    static let good = """
        organisation,weight,scale,previous,floor,cap
        alpha,1,100,,,
        bravo,2,200,,,
        delta,1,100,,400,
        echo,4,100,,,500
        """

    @Test func everyBadRowIsNamedWithLineAndColumn() {
        let text = """
            organisation,weight,scale,previous,floor,cap
            kent,1,100,,,
            essex,abc,100,,,
            surrey,-2,,,,

            sussex,NaN,inf,12.5,,
            Bad Code,1,,,,
            kent,1,,,,
            hants,1,,,"900",800
            dorset,1,0,-5,,
            wilts,1,2
            """
        let error = #expect(throws: FundingInputError.self) { try FundingCSV.read(Array(text.utf8)) }
        #expect(
            error?.problems.map(\.description) == [
                "line 3, column \"weight\" (essex): \"abc\" is not a number",
                "line 4, column \"weight\" (surrey): must be greater than 0",
                "line 6, column \"weight\" (sussex): \"NaN\" is not a number (NaN is refused)",
                "line 6, column \"scale\" (sussex): must be a finite number (\"inf\")",
                "line 6, column \"previous\" (sussex): must be whole pounds (12.5)",
                "line 7, column \"organisation\" (Bad Code): Code must use lower-case letters, digits and single hyphens, like west-midlands (\"Bad Code\")",
                "line 8, column \"organisation\" (kent): kent is given twice (first on line 2)",
                "line 9, column \"floor\" (hants): the floor £900 is above the cap £800",
                "line 10, column \"previous\" (dorset): must not be negative (-5)",
                "line 10, column \"scale\" (dorset): must be greater than £0",
                "line 11, column \"(row)\": the row has 3 fields; the header has 6",
            ])
    }

    @Test func theHeaderIsChecked() {
        let error = #expect(throws: FundingInputError.self) {
            try FundingCSV.read(Array("organisation,size,scale,scale\nkent,1,2,3\n".utf8))
        }
        #expect(
            error?.problems.map(\.description) == [
                "line 1, column \"size\": unknown column; the columns are organisation,weight,scale,previous,floor,cap",
                "line 1, column \"scale\": the column is given twice",
                "line 1, column \"weight\": required column is missing",
            ])
        #expect(throws: FundingInputError.self) { try FundingCSV.read([]) }
        #expect(throws: FundingInputError.self) { try FundingCSV.read(Array("organisation,weight\n".utf8)) }
    }

    @Test func columnsInAnyOrderAndOptionalOnesLeftOut() throws {
        let (organisations, lines) = try FundingCSV.read(Array("\u{FEFF}weight,organisation\r\n2.5,kent\r\n\r\n1e3,essex\r\n".utf8))
        #expect(
            organisations == [FundingOrganisation(code: "kent", riskWeight: 2.5), FundingOrganisation(code: "essex", riskWeight: 1000)])
        #expect(lines == [2, 4])
    }

    @Test func writesOneRowPerOrganisationAndTheSummary() throws {
        let run = Self.run(["allocate", "round.csv", "--budget", "2000"], files: ["round.csv": Self.good])
        #expect(run.status == 0, "\(run.errors)")
        let tables = run.output.components(separatedBy: "\r\n\r\n")
        #expect(tables.count == 2)
        let rows = tables[0].components(separatedBy: "\r\n").map { $0.components(separatedBy: ",") }
        #expect(rows[0] == AllocationReport.columns)
        #expect(rows[0].prefix(2) == ["organisation", "allocation"])
        // The worked example of FundingHandWorkedTests.aFloorAndACapBind.
        #expect(
            rows.dropFirst().map { [$0[0], $0[1], $0[7]] } == [
                ["alpha", "367", "none"], ["bravo", "733", "none"], ["delta", "400", "floor"], ["echo", "500", "cap"],
            ])
        let summary = Dictionary(
            uniqueKeysWithValues: tables[1].components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
                .map { line -> (String, String) in
                    let parts = line.components(separatedBy: ",")
                    return (parts[0], parts[1])
                })
        #expect(abs((Double(summary["lambda"] ?? "") ?? 0) - 3.0 / 1400) < 1e-15)
        #expect(summary["budget"] == "2000" && summary["floor_organisations"] == "1" && summary["cap_moved"] == "-650")
    }

    @Test func writesJSON() throws {
        let run = Self.run(["round.csv", "--budget=2000", "--format", "json"], files: ["round.csv": Self.good])
        #expect(run.status == 0, "\(run.errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(abs((object["lambda"] as? Double ?? 0) - 3.0 / 1400) < 1e-15)
        #expect(object["budget"] as? Int == 2000)
        let organisations = try #require(object["organisations"] as? [[String: Any]])
        #expect(organisations.map { $0["organisation"] as? String } == ["alpha", "bravo", "delta", "echo"])
        #expect(organisations.map { $0["allocation"] as? Int } == [367, 733, 400, 500])
        // The command's answer, read back, meets the conditions of optimality.
        let round = try FundingCSV.round(Array(Self.good.utf8), budget: 2_000, damping: nil)
        let allocations = Dictionary(
            uniqueKeysWithValues: organisations.map { ($0["organisation"] as? String ?? "", $0["allocation"] as? Int ?? -1) })
        #expect(FundingOptimality.violations(round: round, allocations: allocations, lambda: object["lambda"] as? Double ?? 0).isEmpty)
        #expect(Set(organisations[0].keys) == Set(AllocationReport.columns))
        #expect(organisations[0]["previous"] is NSNull && organisations[0]["upper"] is NSNull)
        #expect(organisations[3]["upper"] as? Int == 500 && organisations[3]["binding"] as? String == "cap")
    }

    @Test func anInfeasibleRoundExitsNonZeroNamingTheShortfall() {
        let run = Self.run(["allocate", "round.csv", "--budget", "300"], files: ["round.csv": Self.good])
        #expect(run.status == 1)
        #expect(run.output.isEmpty)
        #expect(run.errors.contains("floors exceed the budget by £100"))
    }

    @Test func usageAndInputErrorsHaveTheirOwnStatus() {
        let files = ["round.csv": Self.good]
        #expect(Self.run(["--help"], files: files).output.hasPrefix("Usage: inspectorate allocate FILE.csv --budget POUNDS"))
        #expect(Self.run(["--help"], files: files).status == 0)
        #expect(Self.run(["round.csv"], files: files).status == 2)
        #expect(Self.run(["round.csv", "--budget"], files: files).status == 2)
        #expect(Self.run(["round.csv", "--budget", "5", "--colour", "red"], files: files).status == 2)
        #expect(Self.run(["round.csv", "other.csv", "--budget", "5"], files: files).status == 2)
        #expect(Self.run(["round.csv", "--budget", "5", "--format", "xml"], files: files).status == 2)
        let fraction = Self.run(["round.csv", "--budget", "2000.50"], files: files)
        #expect(fraction.status == 3 && fraction.errors.contains("--budget: The budget must be a whole number of pounds"))
        let band = Self.run(["round.csv", "--budget", "2000", "--damping", "1.5"], files: files)
        #expect(band.status == 3 && band.errors.contains("--damping"))
        let rows = Self.run(["bad.csv", "--budget", "2000"], files: ["bad.csv": "organisation,weight\nkent,0\nessex,x\n"])
        #expect(rows.status == 3)
        #expect(rows.errors.contains("line 2, column \"weight\" (kent): must be greater than 0"))
        #expect(rows.errors.contains("line 3, column \"weight\" (essex): \"x\" is not a number"))
        #expect(Self.run(["missing.csv", "--budget", "2000"], files: files).status == 4)
    }

    @Test func timingGoesToStandardError() {
        let run = Self.run(["round.csv", "--budget", "2000", "--timing", "--damping", "0.1"], files: ["round.csv": Self.good])
        #expect(run.status == 0)
        #expect(run.errors.hasPrefix("timing: organisations=4 read_us="))
        #expect(run.errors.contains(" solve_us="))
    }
}
