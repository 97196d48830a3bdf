import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

/// The route table is the one place a path is written: every route is registered from it,
/// every link and redirect is made from it, and the two agree.
@Suite("Route table")
struct RouteTableTests {
    /// Routes served from files rather than registered with the router.
    static let files: Set<String> = ["stylesheet"]

    @Test func everyCaseMakesItsPatternAndItsLinks() {
        func check<Table: RoutePath>(_ table: [Table]) {
            let names = table.map(\.name)
            #expect(Set(names).count == names.count, "each case has its own name")
            for route in table {
                // Values that need escaping stay one segment each, and come back as given.
                let values = (0..<route.arity).map { "v\($0) a/b?c#d%" }
                let path = Table.path(named: route.name, values: values)
                #expect(path != nil, "\(route.name)")
                let filled = (path ?? "").split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
                    $0.removingPercentEncoding ?? ""
                }
                let pattern = route.pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
                #expect(filled.count == pattern.count, "\(route.name): \(path ?? "")")
                var next = 0
                for (segment, part) in zip(filled, pattern) {
                    if part.hasPrefix(":") {
                        #expect(segment == values[next], "\(route.name)")
                        next += 1
                    } else {
                        #expect(segment == part, "\(route.name)")
                    }
                }
                #expect(Table.path(named: route.name, values: values + ["extra"]) == nil, "the wrong number of values is refused")
            }
        }
        check(SiteURL.all)
        check(APIURL.all)
        #expect(SiteURL.organisation(.value("kent")).path == "/organisations/kent")
        #expect(
            SiteURL.cycle(.value("prevent-2009")).path(query: [("region", "West Midlands"), ("tier", nil)])
                == "/cycles/prevent-2009?region=West%20Midlands")
        #expect(
            APIURL.judgement(.value("c"), .value("kent"), .value(.inspection), .value("plan")).path
                == "/api/v1/cycles/c/organisations/kent/assessments/inspection/judgements/plan")
    }

    @Test func everyRegisteredRouteIsInTheTableAndEveryCaseIsRegistered() async throws {
        try await withApp { app in
            let registered = Set(app.routes.all.map { "/" + $0.path.map(\.description).joined(separator: "/") })
            let table = Set(SiteURL.all.filter { !Self.files.contains($0.name) }.map(\.pattern) + APIURL.all.map(\.pattern))
            #expect(registered.subtracting(table).sorted() == [], "routes registered outside the table")
            #expect(table.subtracting(registered).sorted() == [], "cases of the table no route serves")
        }
    }

    /// Every `#path("name", …)` in every view names a case of the table with as many values
    /// as it takes (the views are rendered by the page tests too; this catches the rest).
    @Test func viewsLinkOnlyToRoutesOfTheTable() throws {
        let views = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/InspectorateApp/Resources/Views")
        let files = try #require(FileManager.default.enumerator(atPath: views.path)).compactMap { $0 as? String }.filter {
            $0.hasSuffix(".leaf")
        }
        #expect(files.count > 20)
        let tag = try Regex(#"#(path|apiPath)\("([A-Za-z]+)"((?:, [^,)]+)*)\)"#)
        var links = 0
        for file in files {
            let text = try String(contentsOf: views.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains(#"href="/"#) && !text.contains(#"action="/"#), "\(file) writes a path by hand")
            for match in text.matches(of: tag) {
                links += 1
                let kind = String(match.output[1].substring ?? "")
                let name = String(match.output[2].substring ?? "")
                let arity = (match.output[3].substring ?? "").split(separator: ",").count
                let values = Array(repeating: "x", count: arity)
                let path = kind == "path" ? SiteURL.path(named: name, values: values) : APIURL.path(named: name, values: values)
                #expect(path != nil, "\(file): #\(kind)(\"\(name)\") with \(arity) values")
            }
        }
        #expect(links > 60)
    }

    /// A legal cycle code that contains another route's word (`evidence`): the redirect after
    /// an upload comes from the table, not from editing the URL it was posted to.
    @Test func uploadingEvidenceInACycleCodedEvidence2011ReturnsToItsAssessment() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            var body = CycleTests.cycleBody
            body["code"] = "evidence-2011"
            let created = try await CycleTests().send(app, cast["lead_inspector"]!, .POST, "/api/v1/cycles", body)
            #expect(created.status == .created, "\(created.text)")
            var member = WebSession(app: app)
            _ = try await member.signIn(cast["organisation_member"]!.email, testPassword)
            let page = "/cycles/evidence-2011/organisations/west-midlands/assessments/self"
            let upload = try await member.postMultipart(
                "\(page)/evidence", fields: ["criterion": "leadership-plan", "title": "Delivery plan", "marking": "OFFICIAL"],
                file: (filename: "plan.pdf", data: SharingTests.pdf), from: page)
            #expect(upload.status == .seeOther, "\(upload.text.prefix(300))")
            #expect(upload.headers.first(name: .location) == "\(page)#evidence")
            let followed = try await member.get(page)
            #expect(followed.status == .ok)
            #expect(followed.text.contains("Delivery plan"))
        }
    }
}
