import Foundation
import Testing

@testable import InspectorateCore

@Suite("Synthetic benchmark data")
struct SyntheticDataTests {
    static func text(_ body: ((String) -> Void) -> Void) -> String {
        var out = ""
        body { out += $0 }
        return out
    }

    @Test func theSameSeedGivesTheSameFiles() throws {
        let a = SyntheticData(organisations: 30, criteria: 12, seed: 7)
        let b = SyntheticData(organisations: 30, criteria: 12, seed: 7)
        let c = SyntheticData(organisations: 30, criteria: 12, seed: 8)
        #expect(Self.text { a.judgementsCSV($0) } == Self.text { b.judgementsCSV($0) })
        #expect(Self.text { a.judgementsCSV($0) } != Self.text { c.judgementsCSV($0) })
        let rows = Self.text { a.judgementsCSV($0) }.split(separator: "\n")
        #expect(rows.count == 1 + 30 * 12)
        #expect(rows[1].hasPrefix("synthetic-000001,c001,"))
        #expect(Self.text { a.organisationsCSV($0) }.split(separator: "\n").count == 31)
    }

    @Test func theFrameworkIsValidAndShapedAsAsked() throws {
        let data = SyntheticData(organisations: 1, criteria: 25, seed: 1)
        let framework = try FrameworkDocument.parse(yaml: data.frameworkYAML())
        #expect(framework.reference == "synthetic-25@1")
        #expect(framework.criteria.count == 25)
        #expect(framework.areas.count == 3, "areas of ten, the last one shorter")
        #expect(framework.tiers.count == 3)
        // Levels scatter around each body's base maturity and stay on the scale.
        let levels = Self.text { SyntheticData(organisations: 200, criteria: 25, seed: 3).judgementsCSV($0) }
            .split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").last.flatMap { Int($0) } }
        #expect(Set(levels) == [1, 2, 3, 4])
    }
}
