import Foundation
import Testing

@testable import InspectorateCore

extension Recommendations {
    @Suite("The 2009 report's recommendations")
    struct Prevent2009Tests {
        /// A file of the repository, from this test file's place in it.
        static func repositoryFile(_ path: String) throws -> String {
            let url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
                .appendingPathComponent("../../../\(path)")
            return try String(contentsOf: url, encoding: .utf8)
        }

        let items = Prevent2009.recommendations

        @Test func sixNationalRecommendationsClearlyMarkedAsTheRealReports() {
            #expect(items.map(\.reference.description) == (1...6).map { "prevent-2009/national/\($0)" })
            #expect(Prevent2009.source == "HMIC, Prevent – Progress and Prospects, 24 June 2009 (press release of the same day)")
            #expect(Prevent2009.label.contains("real 2009 report"))
            #expect(Prevent2009.published == Fixture.date("2009-06-24"))
        }

        @Test func addressedAsTheReportImplies() {
            #expect(items[0].addressees == ["home-office"])
            #expect(items[2].addressees == ["acpo"])
            #expect(items[3].addressees.count == 43 && Set(items[3].addressees).count == 43)
            for index in [1, 4, 5] { #expect(items[index].addressees == ["home-office", "acpo"]) }
            #expect(Prevent2009.nationalBodies.map(\.code) == ["home-office", "acpo"])
        }

        @Test func theTwoDeadlinesTheReportGivesAndAStatedDefaultForTheRest() {
            #expect(items[2].due == Fixture.date("2009-09-30") && items[2].dueGivenByReport)
            #expect(items[3].due == Fixture.date("2010-03-31") && items[3].dueGivenByReport)
            for index in [0, 1, 4, 5] {
                #expect(!items[index].dueGivenByReport && items[index].dueNote.contains("The report gives no date"))
            }
            #expect(items.filter(\.statusIsDerived).map(\.reference.number) == [Prevent2009.minimumCapabilityNumber])
        }

        @Test func theyPassTheSameChecksAsAnyRecommendation() {
            for recommendation in Prevent2009.load(marking: Marking(level: "OFFICIAL"), loadedAt: Fixture.at(0)) {
                let draft = RecommendationDraft(
                    reference: recommendation.reference, text: recommendation.text, addressees: recommendation.addressees,
                    due: recommendation.due.current, criteria: recommendation.criteria, marking: recommendation.marking)
                let known = Set(Prevent2009.territorialForces + Prevent2009.nationalBodies.map(\.code))
                #expect(Recommendation.problems(in: draft, isKnownOrganisation: known.contains).isEmpty)
                #expect(recommendation.publishedOn == Fixture.date("2009-06-24") && recommendation.author == nil)
            }
        }

        @Test func theForcesAreTheShippedTerritorialForcesOfEnglandAndWales() throws {
            let csv = try Self.repositoryFile("Sources/InspectorateApp/Resources/Data/organisations.csv")
            var forces: [String] = []
            for line in csv.split(separator: "\n") {
                let cells: [Substring] = line.split(separator: ",", omittingEmptySubsequences: false)
                // The 43 of England and Wales: the Police Service of Northern Ireland is registered
                // as a territorial force too, but was not among "all forces" of the report.
                if cells.count > 4 && cells[2] == "territorial_force" && (cells[4] == "England" || cells[4] == "Wales") {
                    forces.append(String(cells[0]))
                }
            }
            #expect(forces.sorted() == Prevent2009.territorialForces.sorted())
        }

        @Test func theLinkedCriteriaAreThe2009FrameworksCriteria() throws {
            let yaml = try Self.repositoryFile("Sources/InspectorateApp/Resources/Frameworks/police-prevent-2009.yaml")
            let framework = try FrameworkDocument.parse(yaml: yaml)
            #expect(framework.reference == Prevent2009.framework)
            let codes = framework.criteria.map(\.criterion.code)
            #expect(Prevent2009.allCriteria == codes)
            for item in items { #expect(Set(item.criteria).isSubset(of: codes), "\(item.reference)") }
            // The framework's tiers give the same deadline as the report.
            #expect(framework.tiers.allSatisfy { $0.deadline == Prevent2009.minimumCapabilityDeadline.description })
        }
    }
}
