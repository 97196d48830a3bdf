import Foundation
import Testing

@testable import InspectorateCore

extension Indicators {
    @Suite("What works")
    struct WhatWorksTests {
        static func observation(_ code: String, _ capability: Double?, _ outcome: Double?) -> WhatWorksObservation {
            WhatWorksObservation(organisation: code, capability: capability, outcome: outcome)
        }

        /// Twelve organisations whose outcome mostly rises with their stage, and three with a
        /// figure missing.
        static let observations: [WhatWorksObservation] = [
            observation("a", 1, 40), observation("b", 1, 45), observation("c", 2, 43), observation("d", 2, 55), observation("e", 3, 50),
            observation("f", 3, 62), observation("g", 3, 58), observation("h", 4, 70), observation("i", 4, 66), observation("j", 5, 80),
            observation("k", 5, 75), observation("l", 2, 52), observation("m", nil, 60), observation("n", 4, nil),
            observation("o", nil, nil),
        ]

        @Test func missingDataIsCountedNotDropped() throws {
            let analysis = try WhatWorks.analyse(Self.observations)
            #expect(analysis.n == 12)
            #expect(analysis.missing.capability == ["m"] && analysis.missing.outcome == ["n"] && analysis.missing.both == ["o"])
            #expect(
                analysis.missingStatement
                    == "3 organisations are not in the analysis: 1 has no capability level; 1 has no outcome value; 1 has neither.")
            #expect(analysis.pairs.map(\.organisation) == ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"])
        }

        @Test func theCorrelationIsSpearmansOnTheCompletePairs() throws {
            let analysis = try WhatWorks.analyse(Self.observations)
            let complete = Self.observations.filter { $0.capability != nil && $0.outcome != nil }.sorted {
                $0.organisation < $1.organisation
            }
            let direct = Spearman.correlate(complete.map { $0.capability ?? 0 }, complete.map { $0.outcome ?? 0 })
            #expect(analysis.correlation == direct)
            let shown = try #require(analysis.correlationToShow)
            #expect(shown.rho > 0.8 && shown.intervalExcludesZero)
            #expect(analysis.evidenceLevel == .correlation && analysis.evidenceLevel.rawValue == 1)
            #expect(analysis.statements.first == WhatWorksEvidence.statement)
            #expect(
                analysis.summary?.hasPrefix(
                    "Across 12 organisations, higher capability went with higher values of the outcome (Spearman's rho 0.") == true)
        }

        @Test func belowTenOnlyTheDataAreShown() throws {
            let analysis = try WhatWorks.analyse(Array(Self.observations.prefix(9)))
            #expect(analysis.n == 9 && analysis.showsDataOnly)
            #expect(analysis.correlationToShow == nil && analysis.summary == nil)
            // Still computed, for analysts.
            #expect((try? analysis.correlation.get()) != nil)
            #expect(analysis.statements.contains(WhatWorksEvidence.tooFewStatement(n: 9)))
            #expect(WhatWorksEvidence.tooFewStatement(n: 1).hasPrefix("Only 1 organisation has both figures."))
            #expect(try WhatWorks.analyse(Array(Self.observations.prefix(10))).showsDataOnly == false)
        }

        @Test func aConstantCapabilityCannotBeComputedAndSaysWhy() throws {
            let flat = (0..<12).map { Self.observation("org-\($0)", 3, Double($0)) }
            let analysis = try WhatWorks.analyse(flat)
            #expect(analysis.correlation == .failure(.constant(variable: "capability")))
            #expect(analysis.correlationToShow == nil)
            #expect(
                analysis.statements.contains("A correlation cannot be computed: every capability is the same, so there is nothing to rank.")
            )
        }

        @Test func noAssociationIsSaidPlainly() throws {
            let scattered = [(1.0, 5.0), (2, 1), (3, 4), (4, 2), (5, 3), (1, 2), (2, 5), (3, 1), (4, 4), (5, 2), (3, 3)].enumerated().map {
                Self.observation("org-\($0.offset)", $0.element.0, $0.element.1)
            }
            let analysis = try WhatWorks.analyse(scattered)
            let result = try #require(analysis.correlationToShow)
            #expect(!result.intervalExcludesZero)
            #expect(analysis.summary?.hasPrefix("Across 11 organisations the data are consistent with no association") == true)
        }

        @Test func anOrganisationGivenTwiceIsRefused() {
            #expect(throws: FieldError("organisation", "a is given twice")) {
                try WhatWorks.analyse([Self.observation("a", 1, 2), Self.observation("a", 2, 3)])
            }
        }

        @Test func changeAgainstChangeUsesTheSameOrganisations() throws {
            let earlier = [
                Self.observation("a", 1, 10), Self.observation("b", 2, 20), Self.observation("c", 2, 30), Self.observation("d", 3, 40),
                Self.observation("e", 1, 50), Self.observation("gone", 2, 5), Self.observation("f", nil, 5),
            ]
            let later = [
                Self.observation("a", 3, 25), Self.observation("b", 2, 18), Self.observation("c", 4, 50), Self.observation("d", 3, 41),
                Self.observation("e", 2, 52), Self.observation("new", 4, 9), Self.observation("f", 3, 7),
            ]
            let analysis = try WhatWorks.changeAgainstChange(earlier: earlier, later: later)
            #expect(analysis.design == .changeAgainstChange)
            // Written by hand: later minus earlier.
            #expect(
                analysis.pairs == [
                    Self.observation("a", 2, 15), Self.observation("b", 0, -2), Self.observation("c", 2, 20), Self.observation("d", 0, 1),
                    Self.observation("e", 1, 2),
                ])
            #expect(analysis.missing.notInBothCycles == ["gone", "new"] && analysis.missing.capability == ["f"])
            #expect(analysis.showsDataOnly)
            #expect(analysis.statements.first == WhatWorksEvidence.changeStatement)
            #expect(
                analysis.missingStatement
                    == "3 organisations are not in the analysis: 1 has no capability level; 2 were not seen in both cycles.")
            // Capability changes 2,0,2,0,1 rank 4.5,1.5,4.5,1.5,3; outcome changes 15,-2,20,1,2 rank 4,1,5,2,3:
            // about the mean rank 3: dx = 1.5,-1.5,1.5,-1.5,0 and dy = 1,-2,2,-1,0, so sxy = 9, sxx = 9,
            // syy = 10 and rho = 9 / sqrt(90).
            let rho = try analysis.correlation.get().rho
            #expect(abs(rho - 9 / 90.0.squareRoot()) < 1e-15)
        }

        @Test func theScaleIsWrittenOut() {
            #expect(MarylandLevel.allCases.map(\.rawValue) == [1, 2, 3, 4, 5])
            #expect(MarylandLevel.correlation.design.contains("one point in time"))
            #expect(MarylandLevel.randomised > MarylandLevel.correlation)
            #expect(WhatWorksEvidence.statement.contains("level 1 of 5") && WhatWorksEvidence.statement.contains("nothing about cause"))
        }

        @Test func jsonHasTheNamesTheCommandLinePromises() throws {
            let result = SpearmanCorrelation(rho: 0.5, n: 12, pValue: 0.1, ciLow: -0.1, ciHigh: 0.8)
            let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any]
            #expect(Set(object?.keys.map { $0 } ?? []) == ["rho", "n", "p_value", "ci_low", "ci_high"])
        }
    }
}
