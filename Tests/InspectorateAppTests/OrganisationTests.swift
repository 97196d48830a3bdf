import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("Organisations")
struct OrganisationTests {
    @Test func firstStartLoadsTheReferenceOrganisations() async throws {
        try await withApp { app in
            let all = try await Organisation.query(on: app.db).all()
            #expect(all.count == 46)
            #expect(all.filter { $0.kind == .territorialForce && $0.country != "Northern Ireland" }.count == 43)
            let byCode = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
            let met = try #require(byCode["metropolitan"])
            #expect(
                met.name == "Metropolitan Police Service" && met.region == "London" && met.population2011 == 8_166_566
                    && met.officers2019 == 31_556)
            let westMidlands = try #require(byCode["west-midlands"])
            #expect(westMidlands.officers2019 == 6546, "the force row, not the region subtotal (11,254)")
            #expect(byCode["british-transport-police"]?.kind == .specialForce && byCode["british-transport-police"]?.officers2019 == 3022)
            #expect(byCode["british-transport-police"]?.population2011 == nil)
            #expect(byCode["psni"]?.name == "Police Service of Northern Ireland")
            #expect(byCode["soca"]?.kind == .nationalAgency)
            #expect(byCode["avon-and-somerset"]?.name == "Avon and Somerset Constabulary")
            // Starting again keeps the data and adds nothing.
            try await FirstStart.prepareDatabase(app)
            #expect(try await Organisation.query(on: app.db).count() == 46)
        }
    }

    @Test func importingThePublishedFilesAsTheyAre() async throws {
        try await withApp { app in
            try await Organisation.query(on: app.db).set(\.$population2011, to: nil).set(\.$officers2019, to: nil).update()
            let population = try await OrganisationService.importCSV(
                Array(try FixtureFile.text(FixtureFile.population).utf8), caller: app.commandLineCaller(), on: app.db)
            #expect(population.updates.count == 43 && population.creations.isEmpty && population.skipped.isEmpty)
            let headcount = try await OrganisationService.importCSV(
                Array(try FixtureFile.text(FixtureFile.headcount).utf8), caller: app.commandLineCaller(), on: app.db)
            #expect(headcount.updates.count == 44)
            #expect(headcount.skipped.count == 11)
            #expect(
                headcount.skipped.contains { $0.label == "Central Service Secondments" && $0.reason.contains("not a known organisation") })
            #expect(headcount.skipped.contains { $0.label == "West Midlands" && $0.reason.contains("region subtotal") && $0.line == 23 })
            #expect(headcount.ignoredColumns == ["March 2019", "increase", "pct increase"])
            let devon = try await Organisation.query(on: app.db).filter(\.$code == "devon-and-cornwall").first()!
            #expect(devon.population2011 == 1_668_218 && devon.officers2019 == 3077)
            let westMidlands = try await Organisation.query(on: app.db).filter(\.$code == "west-midlands").first()!
            #expect(westMidlands.officers2019 == 6546)
        }
    }

    @Test func aBadFileChangesNothing() async throws {
        try await withApp { app in
            let before = try await Organisation.query(on: app.db).sort(\.$code).all().map { "\($0.code)=\($0.population2011 ?? -1)" }
            let bad = "police_force_area,population_2011\nAvon & Somerset,1\nCleveland,2\nDurham,many\n"
            await #expect(throws: ImportError(line: 4, column: "population_2011", "\"many\" is not a number")) {
                try await OrganisationService.importCSV(Array(bad.utf8), caller: app.commandLineCaller(), on: app.db)
            }
            let noName = "area,population_2011\nAvon & Somerset,1\n"
            do {
                try await OrganisationService.importCSV(Array(noName.utf8), caller: app.commandLineCaller(), on: app.db)
                Issue.record("a file without a name column was accepted")
            } catch let error as ImportError {
                #expect(error.column == "name")
                #expect(error.description.contains("required column \"name\" is missing"))
            }
            let duplicate = "police_force_area,population_2011\nKent,1\nKent,2\n"
            await #expect(throws: ImportError.self) {
                try await OrganisationService.importCSV(Array(duplicate.utf8), caller: app.commandLineCaller(), on: app.db)
            }
            let after = try await Organisation.query(on: app.db).sort(\.$code).all().map { "\($0.code)=\($0.population2011 ?? -1)" }
            #expect(before == after)
        }
    }

    @Test func listPageSortsAndFilters() async throws {
        try await withApp { app in
            let analyst = try await app.makeUser(.analyst)
            var session = WebSession(app: app)
            _ = try await session.signIn(analyst.email, analyst.password)
            let all = try await session.get("/organisations")
            #expect(all.text.contains("46 organisations"))
            #expect(all.text.contains("West Midlands Police"))
            let wales = try await session.get("/organisations?region=Wales&sort=population&order=desc")
            #expect(wales.text.contains("4 organisations"))
            let names = ["South Wales Police", "North Wales Police", "Gwent Police", "Dyfed-Powys Police"]
            let positions = names.compactMap { wales.text.range(of: $0)?.lowerBound }
            #expect(positions.count == 4 && positions == positions.sorted(), "largest population first")
            #expect(wales.text.contains(#"aria-sort="descending""#))
            let agencies = try await session.get("/organisations?kind=national_agency")
            #expect(agencies.text.contains("1 organisations") && agencies.text.contains("Serious Organised Crime Agency"))
            let badFilter = try await session.get("/organisations?kind=castle")
            #expect(badFilter.status == .ok && badFilter.text.contains("Unknown kind"))
            let detail = try await session.get("/organisations/devon-and-cornwall")
            #expect(detail.text.contains("1,668,218") && detail.text.contains("Devon &amp; Cornwall"))
        }
    }

    @Test func registeringAndEditingAPartnerThroughTheWeb() async throws {
        try await withApp { app in
            let inspector = try await app.makeUser(.inspector)
            var session = WebSession(app: app)
            _ = try await session.signIn(inspector.email, inspector.password)
            let created = try await session.post(
                "/organisations",
                form: ["name": "Birmingham City Council", "region": "West Midlands", "country": "England", "population_2011": "1,073,045"],
                from: "/organisations/new")
            #expect(created.status == .seeOther)
            #expect(created.headers.first(name: .location) == "/organisations/birmingham-city-council")
            let page = try await session.get("/organisations/birmingham-city-council")
            #expect(
                page.text.contains("Birmingham City Council has been registered") && page.text.contains("Partner body")
                    && page.text.contains("1,073,045"))
            let council = try await Organisation.query(on: app.db).filter(\.$code == "birmingham-city-council").first()!
            let edited = try await session.post(
                "/organisations/birmingham-city-council/edit",
                form: [
                    "name": "Birmingham City Council", "region": "West Midlands", "country": "England", "population_2011": "1141816",
                    "version": "\(council.version)",
                ], from: "/organisations/birmingham-city-council/edit")
            #expect(edited.status == .seeOther)
            let stale = try await session.post(
                "/organisations/birmingham-city-council/edit", form: ["name": "Old Name", "version": "\(council.version)"],
                from: "/organisations/birmingham-city-council/edit")
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("Someone else changed this record"))
            let now = try await Organisation.query(on: app.db).filter(\.$code == "birmingham-city-council").first()!
            #expect(now.name == "Birmingham City Council" && now.population2011 == 1_141_816)
        }
    }

    @Test func partnersCanBeRegisteredThroughTheAPI() async throws {
        try await withApp { app in
            let lead = try await app.makeUser(.leadInspector)
            let response = try await app.testing().sendRequest(
                .POST, "/api/v1/organisations", headers: .bearer(lead, json: true),
                body: json(["name": "Leicestershire Partnership NHS Trust", "code": "lpt-nhs", "region": "East Midlands"]))
            #expect(response.status == .created)
            #expect(response.object["kind"] as? String == "partner_body")
            #expect(response.object["version"] as? Int == 1)
        }
    }
}
