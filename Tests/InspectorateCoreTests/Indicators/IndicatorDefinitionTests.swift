import Foundation
import Testing

@testable import InspectorateCore

extension Indicators {
    @Suite("Indicator definitions")
    struct IndicatorDefinitionTests {
        static func draft() -> IndicatorDraft {
            IndicatorDraft(
                code: "prevent-isp-partners", title: "Partners with a protocol", definition: "Share of partners with a signed protocol.",
                unit: "percentage", kind: "outcome", polarity: "higher_is_better", source: "Quarterly return", caveats: ["Self-reported."],
                frequency: "quarter", appliesTo: ["territorial_force"], targets: [.init(value: "100", date: "2011-03-31")])
        }

        static func fields(_ draft: IndicatorDraft) -> [String] {
            do {
                _ = try draft.validated()
                return []
            } catch let errors as ValidationErrors {
                return errors.errors.map(\.field)
            } catch {
                return ["unexpected \(error)"]
            }
        }

        @Test func aGoodDraftBecomesAnIndicator() throws {
            let indicator = try Self.draft().validated()
            #expect(indicator.code == "prevent-isp-partners" && indicator.unit == .percentage && indicator.frequency == .quarter)
            #expect(indicator.nationalTarget == IndicatorTarget(value: 100, date: try CivilDate.parse("2011-03-31")))
            #expect(indicator.applies(to: .territorialForce) && !indicator.applies(to: .partnerBody))
        }

        @Test(arguments: ["person", "People", "persons referred", "individual", "Named individuals", "names"])
        func aUnitAboutPeopleIsRefusedByDesign(unit: String) {
            var draft = Self.draft()
            draft.unit = unit
            #expect(Self.fields(draft) == ["unit"])
            #expect(throws: FieldError.self) { try IndicatorUnit.parse(unit) }
            do { _ = try IndicatorUnit.parse(unit) } catch let error as FieldError {
                #expect(error.message.contains("about a person"))
            } catch { Issue.record("\(error)") }
        }

        @Test(arguments: ["text", "free text", "narrative", "comment"])
        func freeTextValuesAreRefused(unit: String) {
            do { _ = try IndicatorUnit.parse(unit) } catch let error as FieldError {
                #expect(error.field == "unit" && error.message.contains("never free text"))
            } catch { Issue.record("\(error)") }
        }

        @Test func unitsReadTheirPlainNames() throws {
            #expect(try IndicatorUnit.parse("%") == .percentage)
            #expect(try IndicatorUnit.parse("rate per 100,000") == .ratePer100000)
            #expect(try IndicatorUnit.parse("COUNT") == .count)
            #expect(try IndicatorUnit.parse("staff per 100,000 people") == .ratePer100000)
            #expect(try IndicatorUnit.parse(IndicatorUnit.ratePer100000.displayName) == .ratePer100000)
            #expect(throws: FieldError("unit", "\"kilograms\" is not a unit; use one of percentage, count, rate_per_100000, ratio")) {
                try IndicatorUnit.parse("kilograms")
            }
        }

        @Test func eachUnitHasItsRange() {
            #expect(IndicatorUnit.percentage.problem(with: 0) == nil && IndicatorUnit.percentage.problem(with: 100) == nil)
            #expect(IndicatorUnit.percentage.problem(with: 140) == "140 is not a percentage: a percentage is from 0 to 100")
            #expect(IndicatorUnit.percentage.problem(with: -1) != nil)
            #expect(IndicatorUnit.count.problem(with: 12) == nil)
            #expect(IndicatorUnit.count.problem(with: 12.5) == "12.5 is not a count: a count is a whole number, 0 or more")
            #expect(IndicatorUnit.count.problem(with: -3) != nil)
            #expect(IndicatorUnit.ratePer100000.problem(with: 2.35) == nil && IndicatorUnit.ratePer100000.problem(with: -0.1) != nil)
            #expect(IndicatorUnit.ratio.problem(with: 1e6) == nil && IndicatorUnit.ratio.problem(with: .infinity) != nil)
            #expect(IndicatorUnit.percentage.problem(with: .nan) != nil)
        }

        @Test func everyBadFieldIsNamedAtOnce() {
            var draft = Self.draft()
            draft.code = "Bad Code"
            draft.title = " "
            draft.definition = ""
            draft.source = ""
            draft.kind = "impact"
            draft.polarity = "up"
            draft.frequency = "weekly"
            draft.appliesTo = []
            draft.targets = [.init(value: "140", date: "2011-03-31"), .init(value: "lots", date: "31/03/2011")]
            #expect(
                Self.fields(draft).sorted() == [
                    // Two national targets: the second is named as the repeat.
                    "applies_to", "code", "definition", "frequency", "kind", "polarity", "source", "targets[0].value", "targets[1].date",
                    "targets[1].organisation", "targets[1].value", "title",
                ])
        }

        @Test func targetsFollowTheRules() {
            var draft = Self.draft()
            draft.polarity = "neither"
            #expect(Self.fields(draft) == ["targets[0].value"])
            draft = Self.draft()
            draft.targets.append(.init(value: "90", date: "2010-03-31"))
            #expect(Self.fields(draft) == ["targets[1].organisation"])
            draft.targets[1].organisation = "Kent Police"
            #expect(Self.fields(draft) == ["targets[1].organisation"])
            draft.targets[1].organisation = "kent"
            #expect(Self.fields(draft) == [])
        }

        @Test func anOrganisationsOwnTargetReplacesTheNationalOne() throws {
            var draft = Self.draft()
            draft.targets.append(.init(value: "80", date: "2011-03-31", organisation: "kent"))
            let indicator = try draft.validated()
            #expect(indicator.target(for: "kent")?.value == 80)
            #expect(indicator.target(for: "essex")?.value == 100)
            #expect(indicator.target(for: nil)?.value == 100)
            let target = try #require(indicator.nationalTarget)
            #expect(target.isMet(by: 100, polarity: .higherIsBetter) == true)
            #expect(target.isMet(by: 99.5, polarity: .higherIsBetter) == false)
            #expect(target.isMet(by: 99.5, polarity: .lowerIsBetter) == true)
            #expect(target.isMet(by: 99.5, polarity: .neither) == nil)
            #expect(target.isDue(by: .quarter(year: 2011, quarter: 1)) && !target.isDue(by: .quarter(year: 2010, quarter: 4)))
        }

        @Test func prefixedFieldsForFiles() {
            var draft = Self.draft()
            draft.unit = "people"
            do { _ = try draft.validated(prefix: "indicators[3].") } catch let errors as ValidationErrors {
                #expect(errors.errors.map(\.field) == ["indicators[3].unit"])
            } catch { Issue.record("\(error)") }
        }

        @Test func theExamplesLoadAndSayTheyAreFictitious() throws {
            let examples = try ExampleIndicators.indicators()
            #expect(
                examples.map(\.code) == [
                    "prevent-isp-partners", "prevent-engagement-staff-rate", "prevent-community-contacts", "prevent-support-referrals",
                ])
            #expect(examples.map(\.unit) == [.percentage, .ratePer100000, .count, .count])
            #expect(examples.allSatisfy { $0.caveats.first == ExampleIndicators.fictitiousNotice })
            #expect(examples[0].nationalTarget?.date == (try CivilDate.parse("2011-03-31")))
            #expect(examples[3].polarity == .neither && examples[3].definition.contains("no record about anyone"))
            #expect(examples[1].frequency == .financialYear)
        }

        @Test func fictitiousValuesAreRepeatableAndInRange() throws {
            let examples = try ExampleIndicators.indicators()
            let organisations = ["avon-and-somerset", "kent", "west-midlands"]
            let values = ExampleIndicators.fictitiousValues(indicators: examples, organisations: organisations, capability: ["kent": 5])
            #expect(
                values == ExampleIndicators.fictitiousValues(indicators: examples, organisations: organisations, capability: ["kent": 5]))
            // 3 quarterly indicators × 8 quarters + 1 yearly × 2 years, for each organisation.
            #expect(values.count == 3 * (3 * 8 + 2))
            for value in values {
                let indicator = try #require(examples.first { $0.code == value.indicator })
                #expect(indicator.unit.problem(with: value.value) == nil, "\(value)")
                #expect(value.period.frequency == indicator.frequency)
            }
            #expect(
                values.filter { $0.status == .provisional }.map(\.period).allSatisfy {
                    $0 == .quarter(year: 2011, quarter: 1) || $0 == .financialYear(startYear: 2010)
                })
            #expect(ExampleIndicators.periods(of: .quarter).first == .quarter(year: 2009, quarter: 2))
        }

        @Test func catalogueReportsEveryProblemWithItsPath() {
            let yaml = """
                indicators:
                  - code: one
                    title: One
                    definition: d
                    unit: person
                    kind: output
                    polarity: higher_is_better
                    source: s
                    frequency: quarter
                    applies_to: [territorial_force, county_council]
                    colour: red
                  - code: one
                    title: Again
                    definition: d
                    unit: count
                    kind: output
                    polarity: neither
                    source: s
                    frequency: month
                    applies_to: [territorial_force]
                    targets:
                      - {value: 5, date: 2011-03-31}
                """
            do { _ = try IndicatorCatalogue.read(yaml: yaml) } catch let errors as ValidationErrors {
                #expect(
                    errors.errors.map(\.field) == [
                        "indicators[0].colour", "indicators[0].unit", "indicators[0].applies_to[1]", "indicators[1].targets[0].value",
                    ])
            } catch { Issue.record("\(error)") }
            #expect(throws: ValidationErrors.self) { try IndicatorCatalogue.read(yaml: "indicators: [") }
            #expect(throws: ValidationErrors.self) { try IndicatorCatalogue.read(yaml: "title: no list") }
        }

        @Test func duplicateCodesInAFileAreNamed() {
            let one =
                "  - {code: one, title: T, definition: D, unit: count, kind: output, polarity: neither, source: S, frequency: month, applies_to: [territorial_force]}"
            do { _ = try IndicatorCatalogue.read(yaml: "indicators:\n\(one)\n\(one)\n") } catch let errors as ValidationErrors {
                #expect(errors.errors == [FieldError("indicators[1].code", "\"one\" is already used by indicators[0]")])
            } catch { Issue.record("\(error)") }
        }

        @Test func catalogueWritesWhatItReads() throws {
            var draft = Self.draft()
            draft.code = "local-isp-partners"
            draft.caveats = ["Has \"quotes\" and: colons", "Two"]
            draft.targets.append(.init(value: "75.5", date: "2010-03-31", organisation: "kent"))
            let indicators = try ExampleIndicators.indicators() + [try draft.validated()]
            #expect(try IndicatorCatalogue.read(yaml: IndicatorCatalogue.yaml(indicators)) == indicators)
        }

        @Test func jsonRoundTripRevalidates() throws {
            let indicator = try Self.draft().validated()
            let data = try JSONEncoder().encode(indicator)
            #expect(try JSONDecoder().decode(Indicator.self, from: data) == indicator)
            let broken = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"prevent-isp-partners\"", with: "\"Not A Code\"")
            #expect(throws: ValidationErrors.self) { try JSONDecoder().decode(Indicator.self, from: Data(broken.utf8)) }
        }
    }
}
