import Foundation
import Testing

@testable import InspectorateCore

extension Indicators {
    @Suite("Most-similar organisations and bands")
    struct MostSimilarTests {
        static func variables() throws -> [ContextVariable] {
            [
                try ContextVariable(name: "population", kind: .number, label: "Resident population, 2011 Census"),
                try ContextVariable(name: "officers", kind: .number, label: "Officers in post"),
                try ContextVariable(name: "area_type", kind: .category, label: "Area type"),
            ]
        }

        static func context(_ code: String, _ population: Double, _ officers: Double, _ area: String) -> OrganisationContext {
            OrganisationContext(
                organisation: code, numbers: ["population": population, "officers": officers], categories: ["area_type": area])
        }

        @Test(arguments: [
            "ethnicity", "Ethnic group share", "religion", "religious_affiliation", "muslim_population", "faith_groups", "race",
            "BAME share",
            "country_of_birth", "main_language", "age_profile", "sex_ratio", "civil partnerships", "places_of_worship", "disability_rate",
        ])
        func protectedCharacteristicsAreRefused(name: String) {
            #expect(throws: FieldError.self) { try ContextVariable(name: name, kind: .number) }
            do { _ = try ContextVariable(name: name, kind: .number) } catch let error as FieldError {
                #expect(error.field == "name" && error.message.contains("never made from the ethnicity, religion"))
            } catch { Issue.record("\(error)") }
        }

        @Test(arguments: [
            "population", "officers", "area_type", "percentage_urban", "average_call_volume", "national_agency_share", "square_km",
        ])
        func ordinaryContextIsAllowed(name: String) throws {
            #expect(try ContextVariable(name: name, kind: .number).name == name)
        }

        @Test func aLabelCannotSmuggleOneIn() {
            #expect(throws: FieldError.self) {
                try ContextVariable(name: "share_a", kind: .number, label: "Share of residents who are Muslim")
            }
        }

        @Test func groupsFollowTheDocumentedDistance() throws {
            // Worked by hand. Populations 1, 2, 3, 10: mean 4, standard deviation sqrt(12.5) = 3.536,
            // z-scores -0.849, -0.566, -0.283, 1.697. Officers are all 5, so count for nothing. Area
            // types urban, urban, rural, urban: a different one adds 2² = 4 to the squared distance.
            // From a: b 0.283; c sqrt(0.566² + 4) = 2.078; d 2.546 → b, c, d.
            // From d: b 2.263; a 2.546; c sqrt(1.980² + 4) = 2.814 → b, a, c.
            // From c: b sqrt(0.283² + 4) = 2.020; a 2.078; d 2.814 → b first.
            let contexts = [
                Self.context("a", 1, 5, "urban"), Self.context("b", 2, 5, "urban"), Self.context("c", 3, 5, "rural"),
                Self.context("d", 10, 5, "urban"),
            ]
            let groups = try MostSimilar.compute(contexts: contexts, variables: try Self.variables(), groupSize: 3)
            #expect(groups.origin == .computed)
            #expect(groups.group(for: "a") == ["b", "c", "d"])
            #expect(groups.group(for: "d") == ["b", "a", "c"])
            #expect(groups.groups.allSatisfy { !$0.value.contains($0.key) && $0.value.count == 3 })
            #expect(try MostSimilar.compute(contexts: contexts, variables: try Self.variables(), groupSize: 1).group(for: "c") == ["b"])
            #expect(groups.method.contains("z-score") && groups.method.contains("2 standard deviations apart"))
            #expect(groups.method.contains("No variable describes the ethnicity, religion"))
        }

        @Test func logarithmicSizesStopTheLargestSettingEveryonesDistance() throws {
            let population = try ContextVariable(name: "population", kind: .number, logarithmic: true)
            let contexts = [100.0, 1_000, 10_000, 100_000, 1_000_000].enumerated().map {
                OrganisationContext(organisation: "o\($0.offset)", numbers: ["population": $0.element])
            }
            let groups = try MostSimilar.compute(contexts: contexts, variables: [population], groupSize: 2)
            // On a log scale the five are evenly spaced: o2's neighbours are o1 and o3 (tie by code).
            #expect(groups.group(for: "o2") == ["o1", "o3"])
            #expect(groups.method.contains("logarithmic"))
            #expect(throws: FieldError.self) { try ContextVariable(name: "area_type", kind: .category, logarithmic: true) }
        }

        @Test func missingContextIsRefusedNotGuessed() throws {
            let contexts = [
                Self.context("a", 1, 5, "urban"), OrganisationContext(organisation: "b", numbers: ["population": 2]),
                Self.context("a", 3, 4, "rural"),
            ]
            do {
                _ = try MostSimilar.compute(contexts: contexts, variables: try Self.variables())
                Issue.record("accepted")
            } catch let errors as ValidationErrors {
                #expect(errors.errors.map(\.field) == ["contexts[1].officers", "contexts[1].area_type", "contexts[2].organisation"])
            }
        }

        @Test func aPublishedGroupingIsImportedWithItsLines() throws {
            let organisations = [
                KnownOrganisation(code: "kent", name: "Kent Police", region: nil, aliases: ["Kent"]),
                KnownOrganisation(code: "essex", name: "Essex Police", region: nil, aliases: ["Essex"]),
                KnownOrganisation(code: "hampshire", name: "Hampshire Constabulary", region: nil, aliases: ["Hampshire"]),
            ]
            let groups = try MostSimilar.imported(
                csv: "organisation,similar\nKent,Essex\nKent,hampshire\nEssex,Kent\n", source: "HMIC, 2009", organisations: organisations)
            #expect(
                groups.origin == .imported && groups.group(for: "kent") == ["essex", "hampshire"] && groups.group(for: "essex") == ["kent"])
            #expect(groups.method == "Imported from a published grouping: HMIC, 2009.")
            do {
                _ = try MostSimilar.imported(
                    csv: "organisation,similar\nKent,Kent\nKent,Surrey\n\nKent,Essex\nKent,Essex\n", source: " ",
                    organisations: organisations)
                Issue.record("accepted")
            } catch let invalid as IndicatorImport.Invalid {
                #expect(
                    invalid.problems.map(\.description) == [
                        "line 2: kent is listed as similar to itself",
                        "line 3: similar \"Surrey\" is not known by its code, name or an alias",
                        "line 6: essex is already in kent's group", "say who published the grouping and when",
                    ])
            }
            #expect(throws: IndicatorImport.Invalid.self) {
                try MostSimilar.imported(csv: "force,peer\n", source: "x", organisations: organisations)
            }
        }

        struct QuantileFixture: Decodable {
            struct Case: Decodable {
                var values: [Double]; var min: Double; var q1: Double; var median: Double; var q3: Double; var max: Double
            }
            var cases: [Case]
        }

        @Test func bandsAgreeWithNumPy() throws {
            let cases = try IndicatorFixture.decode(QuantileFixture.self, from: "quantiles-numpy.json").cases
            #expect(cases.count >= 10)
            for fixture in cases {
                let band = try #require(Band(values: fixture.values))
                #expect(band.n == fixture.values.count && band.minimum == fixture.min && band.maximum == fixture.max)
                for (actual, expected) in [
                    (band.lowerQuartile, fixture.q1), (band.median, fixture.median), (band.upperQuartile, fixture.q3),
                ] {
                    #expect(abs(actual - expected) <= 1e-12 * max(1, abs(expected)), "\(fixture.values): \(actual) against \(expected)")
                }
            }
        }

        @Test func aGroupsBandListsWhoHasNoValue() throws {
            let band = try #require(Band(members: ["b", "c", "d", "e"], values: ["a": 100, "b": 10, "c": 20, "d": 40]))
            // Written by hand: 10, 20, 40 → quartiles at positions 0.5, 1, 1.5: 15, 20, 30.
            #expect(band.n == 3 && band.lowerQuartile == 15 && band.median == 20 && band.upperQuartile == 30)
            #expect(band.withoutValue == ["e"])
            #expect(band.contains(40) && !band.contains(100) && band.inMiddleHalf(25) && !band.inMiddleHalf(12))
            #expect(Band(members: ["x"], values: [:]) == nil)
        }
    }
}
