import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("National picture: pages and the cached summary")
struct PicturePagingTests {
    static let path = "/api/v1/cycles/\(DemoData.cycleCode)/picture"

    @Test func pagesCoverEveryOrganisationOnceInNameOrder() async throws {
        try await withApp { app in
            try await DemoData.load(app)
            let analyst = try await app.makeUser(.analyst)
            var seen: [String] = []
            var after: String?
            repeat {
                let response = try await app.testing().sendRequest(
                    .GET, "\(Self.path)?limit=10" + (after.map { "&after=\($0)" } ?? ""), headers: analyst.bearer)
                #expect(response.status == .ok)
                let rows = response.object["organisations"] as? [[String: Any]] ?? []
                #expect(rows.count <= 10)
                #expect(
                    (response.object["summary"] as? [String: Any])?["organisations"] as? Int == 46, "the summary covers all, not the page")
                seen += rows.compactMap { $0["name"] as? String }
                after = response.object["next"] as? String
            } while after != nil
            #expect(seen.count == 46 && Set(seen).count == 46)
            #expect(seen == seen.sorted())
            #expect(try await app.testing().sendRequest(.GET, "\(Self.path)?limit=0", headers: analyst.bearer).errorField == "limit")
            #expect(try await app.testing().sendRequest(.GET, "\(Self.path)?after=atlantis", headers: analyst.bearer).errorField == "after")
            #expect(
                try await app.testing().sendRequest(.GET, "\(Self.path)?sort=stage&after=atlantis", headers: analyst.bearer).errorField
                    == "after")
        }
    }

    @Test func pagesSortByStageOrTierEitherWay() async throws {
        try await withApp { app in
            try await DemoData.load(app)
            let analyst = try await app.makeUser(.analyst)
            for (sort, order) in [("stage", "desc"), ("stage", "asc"), ("tier", "asc"), ("region", "desc")] {
                var rows: [[String: Any]] = []
                var after: String?
                repeat {
                    let response = try await app.testing().sendRequest(
                        .GET, "\(Self.path)?limit=7&sort=\(sort)&order=\(order)" + (after.map { "&after=\($0)" } ?? ""),
                        headers: analyst.bearer)
                    #expect(response.status == .ok)
                    rows += response.object["organisations"] as? [[String: Any]] ?? []
                    after = response.object["next"] as? String
                } while after != nil
                #expect(rows.count == 46 && Set(rows.compactMap { $0["organisation"] as? String }).count == 46, "\(sort) \(order)")
                let keys: [String] = rows.map { row in
                    switch sort {
                    case "stage": String((row["overall_stage"] as? Int) ?? 0)
                    case "tier": (row["tier"] as? String) ?? ""
                    default: (row["region"] as? String) ?? ""
                    }
                }
                #expect(keys == (order == "desc" ? keys.sorted(by: >) : keys.sorted()), "\(sort) \(order)")
            }
            #expect(try await app.testing().sendRequest(.GET, "\(Self.path)?sort=colour", headers: analyst.bearer).errorField == "sort")
            #expect(try await app.testing().sendRequest(.GET, "\(Self.path)?order=up", headers: analyst.bearer).errorField == "order")
            var web = WebSession(app: app)
            _ = try await web.signIn(analyst.email, analyst.password)
            let page = try await web.get("/cycles/\(DemoData.cycleCode)?sort=stage&order=desc")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("aria-sort=\"descending\""))
        }
    }

    @Test func theSummaryFollowsEveryChange() async throws {
        try await withApp { app in
            try await DemoData.load(app)
            let analyst = try await app.makeUser(.analyst, vetting: .sc)
            func summary(_ query: String = "") async throws -> [String: Any] {
                let response = try await app.testing().sendRequest(.GET, "\(Self.path)?limit=1\(query)", headers: analyst.bearer)
                #expect(response.status == .ok, "\(query)")
                return try #require(response.object["summary"] as? [String: Any])
            }
            let before = try await summary()
            #expect(before["organisations"] as? Int == 46)
            let cycleID = try #require(try await CycleService.require(code: DemoData.cycleCode, scope: .all, on: app.db).id)
            let cached = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM picture_summaries WHERE cycle_id = \(bind: cycleID)").first()
            #expect(try cached?.decode(column: "n", as: Int.self) == 1, "the summary is kept")
            #expect(try await summary() as NSDictionary == before as NSDictionary, "served again from the cache")
            let tier1 = try await summary("&tier=tier-1")["organisations"] as? Int ?? 0
            // Moving Kent into tier 1 changes the tier-filtered summary at once.
            let kentTier = try await CycleService.member(
                of: try await CycleService.require(code: DemoData.cycleCode, scope: .all, on: app.db),
                organisation: "kent", scope: .all, on: app.db
            ).tierCode
            let target = kentTier == "tier-1" ? "tier-2" : "tier-1"
            let moved = try await app.testing().sendRequest(
                .PUT, "/api/v1/cycles/\(DemoData.cycleCode)/organisations/kent/tier", headers: .bearer(analyst, json: true),
                body: json(["tier": target, "rationale": "Re-assessed"]))
            #expect(moved.status == .ok)
            #expect(try await summary("&tier=tier-1")["organisations"] as? Int == tier1 + (target == "tier-1" ? 1 : -1))
        }
    }
}
