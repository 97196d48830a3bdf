import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

@Suite("Roll-up and results")
struct RollupTests {
    @Test func theThreeRules() {
        let parts: [(level: Int, weight: Double)] = [(1, 1), (3, 1), (4, 2)]
        #expect(Rollup.combine(parts, rule: .lowest) == 1)
        #expect(Rollup.combine(parts, rule: .meanRoundedDown) == 2)  // 8/3 = 2.67
        #expect(Rollup.combine(parts, rule: .weightedMean) == 3)  // 12/4 = 3.0
        #expect(Rollup.combine([(3, 1), (3, 1), (3, 1)], rule: .weightedMean) == 3)
        #expect(Rollup.combine([(2, 0.1), (3, 0.2)], rule: .weightedMean) == 2)  // 0.8/0.3 = 2.67
        #expect(Rollup.combine([], rule: .lowest) == nil)
    }

    static let levels = Gen.int(in: 1...5).array(of: 1...8)

    /// The roll-up as the framework document defines it, computed another way: the lowest
    /// level; the mean rounded down by counting how many whole levels the total reaches; the
    /// weighted mean likewise, in exact decimal arithmetic.
    static func oracle(_ parts: [(Int, Double)], rule: RollupRule) -> Int {
        switch rule {
        case .lowest:
            return parts.map(\.0).sorted().first ?? 0
        case .meanRoundedDown:
            let total = parts.map(\.0).reduce(0, +)
            return (0...5).last { $0 * parts.count <= total } ?? 0
        case .weightedMean:
            let total = parts.reduce(Decimal(0)) { $0 + Decimal($1.0) * Decimal($1.1) }
            let weight = parts.reduce(Decimal(0)) { $0 + Decimal($1.1) }
            return (0...5).last { Decimal($0) * weight <= total } ?? 0
        }
    }

    /// Worked by hand: each row is the levels, their weights, and the three answers.
    @Test func handWorkedAreas() {
        let cases: [([Int], [Double], lowest: Int, mean: Int, weighted: Int)] = [
            ([2, 2, 2], [1, 1, 1], 2, 2, 2),
            ([1, 4], [1, 1], 1, 2, 2),  // mean 2.5, weighted 2.5
            ([1, 4], [1, 3], 1, 2, 3),  // weighted (1 + 12) / 4 = 3.25
            ([4, 4, 1], [1, 1, 1], 1, 3, 3),  // mean 3.0 exactly
            ([3, 2, 2, 2], [2, 1, 1, 1], 2, 2, 2),  // weighted 12 / 5 = 2.4
            ([4, 3], [0.7, 0.3], 3, 3, 3),  // weighted 3.7
            ([2, 3], [0.1, 0.2], 2, 2, 2),  // weighted 0.8 / 0.3 = 2.67
        ]
        for entry in cases {
            let parts = Array(zip(entry.0, entry.1)).map { (level: $0, weight: $1) }
            #expect(Rollup.combine(parts, rule: .lowest) == entry.lowest, "\(entry.0) lowest")
            #expect(Rollup.combine(parts, rule: .meanRoundedDown) == entry.mean, "\(entry.0) mean")
            #expect(Rollup.combine(parts, rule: .weightedMean) == entry.weighted, "\(entry.0) weighted")
        }
    }

    @Test(arguments: RollupRule.allCases)
    func raisingOneCriterionNeverLowersTheArea(rule: RollupRule) async {
        await propertyCheck(count: 300, input: Self.levels, Gen.int(in: 0...7), Gen.int(in: 1...4)) { levels, index, raise in
            let weights = levels.indices.map { Double($0 % 3 + 1) }
            let before = Rollup.combine(Array(zip(levels, weights)).map { ($0, $1) }, rule: rule)!
            var raised = levels
            let position = index % levels.count
            raised[position] = min(5, raised[position] + raise)
            let after = Rollup.combine(Array(zip(raised, weights)).map { ($0, $1) }, rule: rule)!
            #expect(after >= before)
            #expect((levels.min()!...levels.max()!).contains(before), "the result stays within the levels given")
        }
    }

    /// A framework of `areaSizes.count` areas on a 1–4 scale with one tier.
    static func framework(areaSizes: [Int], rule: RollupRule, minimums: [Int]) -> Framework {
        let areas = areaSizes.enumerated().map { index, size in
            Area(
                code: "a\(index)", title: "Area \(index)", description: nil, rollup: nil, weight: 1,
                criteria: (0..<size).map {
                    Criterion(code: "a\(index)c\($0)", title: "C", weight: Double($0 + 1), descriptors: [:], evidenceExpected: [])
                })
        }
        let tier = RiskTier(
            code: "t", name: "T", description: nil, deadline: "2010-03-31",
            minimums: Dictionary(uniqueKeysWithValues: areas.enumerated().map { ($1.code, minimums[$0 % minimums.count]) }))
        return Framework(
            code: "f", version: "1", title: "F", source: nil, publisher: nil,
            scale: (1...4).map { ScaleLevel(level: $0, name: "L\($0)", description: "") },
            rollup: rule, areas: areas, tiers: [tier])
    }

    @Test(arguments: RollupRule.allCases)
    func meetsTheMinimumExactlyWhenEveryAreaDoes(rule: RollupRule) async {
        await propertyCheck(
            count: 300, input: Gen.int(in: 1...4).array(of: 1...6), Gen.int(in: 1...4).array(of: 1...4), Gen.int(in: 1...4).array(of: 24)
        ) { sizes, minimums, levels in
            let framework = Self.framework(areaSizes: sizes, rule: rule, minimums: minimums)
            var given: CriterionLevels = [:]
            for (index, entry) in framework.criteria.enumerated() { given[entry.criterion.code] = levels[index % levels.count] }
            let result = framework.result(for: given, tier: framework.tiers[0])
            // The area levels worked out here, independently of the implementation.
            let everyArea = framework.areas.allSatisfy { area in
                let parts = area.criteria.map { (given[$0.code] ?? 0, $0.weight) }
                return Self.oracle(parts, rule: rule) >= (framework.tiers[0].minimums[area.code] ?? 0)
            }
            #expect(result.meetsMinimum == everyArea)
            #expect(result.compliance.allSatisfy { $0.met == ($0.shortfall == 0) })
        }
    }

    @Test func unjudgedCriteriaLeaveTheAreaUnratedAndUnmet() {
        let framework = Self.framework(areaSizes: [2, 1], rule: .lowest, minimums: [2])
        let result = framework.result(for: ["a0c0": 4, "a1c0": 3], tier: framework.tiers[0])
        #expect(result.areaLevels == ["a1": 3])
        #expect(result.overallStage == nil)
        #expect(result.compliance[0] == AreaCompliance(area: "a0", level: nil, minimum: 2, shortfall: 2))
        #expect(!result.meetsMinimum)
    }

    @Test func calibrationAndMovement() {
        let framework = Self.framework(areaSizes: [2], rule: .lowest, minimums: [2])
        #expect(
            framework.calibration(selfAssessment: ["a0c0": 4, "a0c1": 3], inspection: ["a0c0": 2, "a0c1": 3]) == ["a0c0": -2, "a0c1": 0])
        #expect(framework.movement(previous: ["a0": 1], current: ["a0": 3]) == ["a0": 2])
    }
}
