import Foundation
import Testing

@testable import InspectorateCore

@Suite("Organisation import planning")
struct OrganisationImportPlannerTests {
    static func file(_ parts: String...) throws -> String {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for part in parts { url.appendPathComponent(part) }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The organisations as the application ships them.
    static func reference() throws -> OrganisationDirectory {
        let text = try file("..", "..", "Sources", "InspectorateApp", "Resources", "Data", "organisations.csv")
        let plan = try OrganisationImportPlanner.plan(csv: text, directory: OrganisationDirectory([]))
        #expect(plan.creations.count == 46)
        return OrganisationDirectory(
            plan.creations.map { KnownOrganisation(code: $0.code, name: $0.name, region: $0.region, aliases: $0.aliases) })
    }

    @Test func populationFileMapsShortNamesThroughAliases() throws {
        let plan = try OrganisationImportPlanner.plan(
            csv: try Self.file("Fixtures", "police-force-area-population-2011.csv"), directory: try Self.reference())
        #expect(plan.updates.count == 43)
        #expect(plan.skipped.isEmpty)
        #expect(plan.updates.first { $0.label == "Avon & Somerset" }?.code == "avon-and-somerset")
        #expect(plan.updates.first { $0.label == "Metropolitan" }?.code == "metropolitan")
        #expect(plan.updates.first { $0.label == "Devon & Cornwall" }?.figures.population2011 == 1_668_218)
    }

    @Test func headcountFileSkipsSubtotalsAndNonOrganisations() throws {
        let plan = try OrganisationImportPlanner.plan(
            csv: try Self.file("Fixtures", "police-officer-headcount-2019.csv"), directory: try Self.reference())
        #expect(plan.updates.count == 44)
        #expect(
            Set(plan.skipped.map(\.label)) == [
                "North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
                "Eastern", "London", "South East", "South West", "Wales", "Central Service Secondments",
            ])
        let westMidlands = plan.updates.filter { $0.code == "west-midlands" }
        #expect(westMidlands.count == 1 && westMidlands.first?.figures.officers2019 == 6546 && westMidlands.first?.line == 27)
        #expect(plan.updates.first { $0.code == "british-transport-police" }?.figures.officers2019 == 3022)
        #expect(plan.updates.first { $0.code == "metropolitan" }?.figures.officers2019 == 31_556)
    }

    @Test func anAmbiguousNameIsAForceWhenItsFiguresDoNotAddUp() throws {
        // Without the following force rows, "West Midlands" cannot be a subtotal.
        let text = "Force/Region,September 2019\nWest Midlands,6546\nKent,3615\n"
        let plan = try OrganisationImportPlanner.plan(csv: text, directory: try Self.reference())
        #expect(plan.updates.map(\.code) == ["west-midlands", "kent"])
    }

    @Test func refusesAFileWithoutItsRequiredColumns() throws {
        #expect(throws: ImportError.self) {
            try OrganisationImportPlanner.plan(csv: "area,population_2011\nKent,1\n", directory: try Self.reference())
        }
        do {
            _ = try OrganisationImportPlanner.plan(csv: "police_force_area,colour\nKent,red\n", directory: try Self.reference())
            Issue.record("accepted a file with no figures")
        } catch let error as ImportError {
            #expect(error.column == "population_2011")
        }
    }

    @Test func namesTheLineAndColumnOfABadValue() throws {
        #expect(throws: ImportError(line: 3, column: "population_2011", "-4 is negative")) {
            try OrganisationImportPlanner.plan(
                csv: "police_force_area,population_2011\nKent,1\nDurham,-4\n", directory: try Self.reference())
        }
        #expect(
            throws: ImportError(
                line: 2, column: "kind",
                "\"castle\" is not a kind of organisation (use one of territorial_force, special_force, national_agency, partner_body)")
        ) {
            try OrganisationImportPlanner.plan(csv: "code,name,kind\nnew-one,New One,castle\n", directory: try Self.reference())
        }
    }

    @Test func createsPartnersFromOurOwnLayout() throws {
        let text =
            "code,name,kind,region,aliases\nleeds-cc,Leeds City Council,partner_body,Yorkshire & the Humber,Leeds;LCC\nkent,Kent Police,territorial_force,South East,\n"
        let plan = try OrganisationImportPlanner.plan(csv: text, directory: try Self.reference())
        #expect(plan.creations.map(\.code) == ["leeds-cc"])
        #expect(plan.creations.first?.region == "Yorkshire and the Humber")
        #expect(plan.creations.first?.aliases == ["Leeds", "LCC"])
        #expect(plan.skipped.map(\.label) == ["Kent Police"], "known, and no figures to set")
    }

    @Test func namesAreComparedWithoutCaseSpacingOrAmpersands() {
        #expect(NameKey.make("Avon & Somerset") == NameKey.make("avon and  SOMERSET"))
        #expect(Region.canonical("Eastern") == "East of England")
        #expect(Region.canonical("Atlantis") == nil)
        #expect(OrganisationCode.suggest(from: "Devon & Cornwall Police") == "devon-and-cornwall-police")
    }
}
