import Foundation
import Testing

@testable import InspectorateCore

@Suite("Framework documents")
struct FrameworkDocumentTests {
    static func shipped(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/InspectorateApp/Resources/Frameworks/\(name).yaml")
        return try String(contentsOf: url, encoding: .utf8)
    }

    static let minimal = """
        code: mini
        version: "1"
        title: Mini
        rollup: lowest
        scale:
          - { level: 1, name: Low }
          - { level: 2, name: High }
        areas:
          - code: a
            title: Area A
            criteria:
              - { code: a1, title: One, levels: { 1: low, 2: high } }
              - { code: a2, title: Two, levels: { 1: low, 2: high } }
          - code: b
            title: Area B
            criteria:
              - { code: b1, title: Three, levels: { 1: low, 2: high } }
        tiers:
          - { code: t1, name: Tier 1, deadline: "2010-03-31", minimums: { a: 2, b: 2 } }
        """

    @Test func theShippedFrameworksAreValid() throws {
        let prevent = try FrameworkDocument.parse(yaml: try Self.shipped("police-prevent-2009"))
        #expect(prevent.reference == "police-prevent@2009.1")
        #expect(prevent.scale.map(\.name) == ["Initial", "Developing", "Established", "Embedded"])
        #expect(prevent.areas.count == 9)
        #expect(prevent.tiers.map(\.code) == ["tier-1", "tier-2", "tier-3"])
        #expect(prevent.tiers.allSatisfy { $0.deadline == "2010-03-31" && $0.minimums.count == 9 })
        let graded = try FrameworkDocument.parse(yaml: try Self.shipped("graded-judgement"))
        #expect(graded.scale.count == 5 && graded.rollup == .weightedMean && graded.areas.count == 3)
    }

    @Test func exportRoundTrips() throws {
        for name in ["police-prevent-2009", "graded-judgement"] {
            let framework = try FrameworkDocument.parse(yaml: try Self.shipped(name))
            let again = try FrameworkDocument.parse(yaml: try FrameworkDocument.yaml(framework))
            #expect(again == framework)
        }
    }

    @Test func everyProblemIsReportedWithItsPath() throws {
        let broken = """
            code: Bad Code
            version: "1"
            rollup: median
            colour: blue
            scale:
              - { level: 1, name: Low }
              - { level: 2, name: Mid }
              - { level: 4, name: High }
            areas:
              - code: a
                title: Area A
                criteria:
                  - { code: a1, title: One, levels: { 1: low, 2: mid } }
                  - { code: a1, title: Again, levels: { 1: low, 2: mid, 4: high, 7: nope } }
              - code: a
                title: Duplicate area
                criteria: []
            tiers:
              - { code: t1, name: Tier 1, deadline: "31/03/2010", minimums: { a: 9, z: 1 } }
            """
        do {
            _ = try FrameworkDocument.parse(yaml: broken)
            Issue.record("a broken framework was accepted")
        } catch let invalid as FrameworkInvalid {
            let lines = invalid.problems.map(\.description)
            for expected in [
                "title: missing",
                "code: \"Bad Code\" must use lower-case letters, digits, '-', '_' and '.' only",
                "rollup: \"median\" is not a roll-up rule (use lowest, mean_rounded_down, weighted_mean)",
                "colour: unknown key (allowed: areas, code, publisher, rollup, scale, source, tiers, title, version)",
                "scale[2].level: levels must count up by one from the lowest (expected 3, found 4)",
                "areas[0].criteria[0].levels: level 4 missing",
                "areas[0].criteria[1].code: \"a1\" is already used by areas[0].criteria[0]",
                "areas[0].criteria[1].levels: level 7 is not on the scale",
                "areas[1].code: \"a\" is already used by areas[0]",
                "areas[1].criteria: must not be empty",
                "tiers[0].deadline: \"31/03/2010\" is not a date like 2010-03-31",
                "tiers[0].minimums.z: unknown key (allowed: a)",
                "tiers[0].minimums.a: level 9 is not on the scale",
            ] {
                #expect(lines.contains(expected), "missing problem: \(expected)\nreported:\n\(lines.joined(separator: "\n"))")
            }
        }
    }

    @Test func notYAMLAtAll() {
        #expect(throws: FrameworkInvalid.self) { try FrameworkDocument.parse(yaml: "code: [unclosed") }
        #expect(throws: FrameworkInvalid.self) { try FrameworkDocument.parse(yaml: "- just\n- a list") }
    }

    @Test func weightedMeanNeedsWeights() throws {
        let text = Self.minimal.replacingOccurrences(of: "rollup: lowest", with: "rollup: weighted_mean")
        #expect(throws: FrameworkInvalid.self) { try FrameworkDocument.parse(yaml: text) }
    }

    @Test func diffNamesWhatChanged() throws {
        let old = try FrameworkDocument.parse(yaml: Self.minimal)
        let newText = Self.minimal
            .replacingOccurrences(of: "title: Two", with: "title: Two (reworded)")
            .replacingOccurrences(of: "minimums: { a: 2, b: 2 }", with: "minimums: { a: 2, b: 1 }")
            .replacingOccurrences(
                of: "- { code: b1, title: Three, levels: { 1: low, 2: high } }",
                with: "- { code: b2, title: Four, levels: { 1: low, 2: high } }")
        let new = try FrameworkDocument.parse(yaml: newText)
        let changes = FrameworkDiff.compare(old, new).map { "\($0.kind.rawValue) \($0.path)" }
        #expect(
            changes.sorted() == [
                "added criterion b2", "removed criterion b1", "requirement changed tier t1 minimum for b", "reworded criterion a2",
            ])
        #expect(FrameworkDiff.compare(old, old).isEmpty)
    }
}
