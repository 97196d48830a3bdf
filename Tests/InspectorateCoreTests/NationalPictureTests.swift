import Foundation
import Testing

@testable import InspectorateCore

/// The headline figures and their denominators (issue 9, fault 1).
@Suite("National picture summary")
struct NationalPictureTests {
    let framework = RollupTests.framework(areaSizes: [1, 1], rule: .lowest, minimums: [3])

    func row(_ code: String, tier: String?, levels: [String: Int]?, own: [String: Int] = [:], before: [String: Int] = [:]) -> PictureRow {
        let stage = levels.map { $0.values.min() ?? 0 }
        var row = PictureRow(
            organisation: code, name: code, region: nil, kind: "territorial_force", tier: tier, areaLevels: levels ?? [:],
            overallStage: stage, meetsMinimum: levels != nil && tier != nil ? (stage ?? 0) >= 3 : nil, selfAreaLevels: own)
        row.previousAreaLevels = before
        return row
    }

    /// 46 forces inspected, 7 tiered and all 7 failing: nobody meets the minimum, and the 39
    /// without a tier are counted as such, not as meeting it.
    @Test func organisationsWithoutATierDoNotMeetTheMinimum() {
        let tiered = (0..<7).map { row("t\($0)", tier: "t", levels: ["a0": 2, "a1": 2]) }
        let untiered = (0..<39).map { row("u\($0)", tier: nil, levels: ["a0": 4, "a1": 4]) }
        let summary = PictureSummary.compute(rows: tiered + untiered, framework: framework)
        #expect(summary.organisations == 46)
        #expect(summary.inspected == 46)
        #expect(summary.tiered == 7 && summary.tierNotSet == 39)
        #expect(summary.inspectedWithTier == 7)
        #expect(summary.meetingMinimum == 0)
        #expect(summary.meetingByArea["a0", default: 0] == 0)
    }

    /// After carry-forward every inspection is a draft copy: rows carry no final results, so
    /// nothing is inspected and nothing meets.
    @Test func draftCopiesAreNotInspected() {
        let rows = (0..<46).map { row("o\($0)", tier: "t", levels: nil) }
        let summary = PictureSummary.compute(rows: rows, framework: framework)
        #expect(summary.inspected == 0 && summary.notYetInspected == 46 && summary.meetingMinimum == 0 && summary.inspectedWithTier == 0)
        #expect(summary.stageDistribution.isEmpty)
    }

    @Test func calibrationAndMovementSayHowManyTheyRestOn() {
        let rows = [
            row("a", tier: "t", levels: ["a0": 3, "a1": 3], own: ["a0": 4, "a1": 2], before: ["a0": 2, "a1": 3]),
            row("b", tier: "t", levels: ["a0": 3, "a1": 4], own: ["a0": 3]),
            row("c", tier: nil, levels: ["a0": 1, "a1": 1]),
            row("d", tier: "t", levels: nil, own: ["a0": 1, "a1": 1]),
        ]
        let summary = PictureSummary.compute(rows: rows, framework: framework)
        #expect(summary.calibrationOrganisations == 2, "a and b have both; d is not inspected")
        #expect(summary.calibrationByArea == ["a0": -0.5, "a1": 1.0])
        #expect(summary.movementOrganisations == 1 && summary.movementByArea == ["a0": 1.0, "a1": 0.0])
        #expect(summary.meetingMinimum == 2 && summary.inspectedWithTier == 2 && summary.tierNotSet == 1 && summary.notYetInspected == 1)
    }

    @Test func meansNeverShowMinusZero() {
        #expect(PictureSummary.signed(-0.04) == "0.0")
        #expect(PictureSummary.signed(-0.0) == "0.0")
        #expect(PictureSummary.signed(0.04) == "0.0")
        #expect(PictureSummary.signed(-0.06) == "−0.1")
        #expect(PictureSummary.signed(0.25) == "+0.3")
        #expect(PictureSummary.signed(nil) == "–")
    }
}
