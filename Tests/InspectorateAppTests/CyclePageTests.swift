import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("National picture, scorecards and assessment pages")
struct CyclePageTests {
    static let demo = DemoData.cycleCode

    @Test func theDemonstrationCycleFillsTheNationalPicture() async throws {
        try await withApp { app in
            #expect(try await DemoData.load(app))
            #expect(try await DemoData.load(app) == false, "loading twice adds nothing")
            let cast = try await app.makeCast()
            let picture = try await app.testing().sendRequest(.GET, "/api/v1/cycles/\(Self.demo)/picture", headers: cast["analyst"]!.bearer)
            let summary = picture.object["summary"] as? [String: Any] ?? [:]
            let rows = picture.object["organisations"] as? [[String: Any]] ?? []
            #expect(rows.count == 46 && summary["inspected"] as? Int == 46 && summary["organisations"] as? Int == 46)
            // The summary agrees with the rows it summarises.
            let meeting = rows.filter { $0["meets_minimum"] as? Bool == true }.count
            #expect(summary["meeting_minimum"] as? Int == meeting)
            let stages = (summary["stage_distribution"] as? [String: Int] ?? [:]).values.reduce(0, +)
            #expect(stages == rows.filter { $0["overall_stage"] is Int }.count)
            #expect((summary["calibration_by_area"] as? [String: Double])?.count == 9)
            let wales = try await app.testing().sendRequest(
                .GET, "/api/v1/cycles/\(Self.demo)/picture?region=Wales&tier=tier-1", headers: cast["analyst"]!.bearer)
            #expect(
                (wales.object["organisations"] as? [[String: Any]] ?? []).allSatisfy {
                    $0["region"] as? String == "Wales" && $0["tier"] as? String == "tier-1"
                })
            let badTier = try await app.testing().sendRequest(
                .GET, "/api/v1/cycles/\(Self.demo)/picture?tier=tier-9", headers: cast["analyst"]!.bearer)
            #expect(badTier.status == .unprocessableEntity && badTier.errorField == "tier")
            let member = try await app.testing().sendRequest(
                .GET, "/api/v1/cycles/\(Self.demo)/picture", headers: cast["organisation_member"]!.bearer)
            #expect((member.object["organisations"] as? [[String: Any]])?.map { $0["organisation"] as? String } == ["west-midlands"])
            #expect(
                (member.object["summary"] as? [String: Any])?["organisations"] as? Int == 1, "counts cover only what the viewer may see")
        }
    }

    @Test func theCSVExportHoldsOnlyWhatTheViewerMaySee() async throws {
        try await withApp { app in
            try await DemoData.load(app)
            let cast = try await app.makeCast()
            let all = try await app.testing().sendRequest(.GET, "/api/v1/cycles/\(Self.demo)/export", headers: cast["inspector"]!.bearer)
            #expect(all.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            #expect(all.text.hasPrefix("\u{FEFF}"), "a byte-order mark, so Excel reads UTF-8")
            let lines = all.text.dropFirst().split(separator: "\r\n")
            #expect(
                lines.first?.hasPrefix(
                    "cycle,organisation,organisation_name,region,tier,assessment,status,overall_stage,meets_minimum,deadline,area,criterion,level"
                ) == true)
            let expected: Int = 1 + 46 * 2 * 17
            #expect(lines.count == expected)
            // The page's filters select the same organisations in the download.
            let wales = try await app.testing().sendRequest(
                .GET, "/api/v1/cycles/\(Self.demo)/export?region=Wales", headers: cast["inspector"]!.bearer)
            let walesRows = wales.text.dropFirst().split(separator: "\r\n").dropFirst().map {
                $0.split(separator: ",", omittingEmptySubsequences: false)
            }
            #expect(!walesRows.isEmpty && walesRows.allSatisfy { $0[3] == "Wales" })
            #expect(Set(walesRows.map { $0[1] }).count == 4, "the four Welsh forces")
            let bad = try await app.testing().sendRequest(
                .GET, "/api/v1/cycles/\(Self.demo)/export?tier=tier-9", headers: cast["inspector"]!.bearer)
            #expect(bad.status == .unprocessableEntity && bad.errorField == "tier")
            // Each row carries the organisation's stage and whether it meets its tier's minimum,
            // as the picture says.
            let picture = try await app.testing().sendRequest(
                .GET, "/api/v1/cycles/\(Self.demo)/picture", headers: cast["inspector"]!.bearer)
            let byCode = Dictionary(
                uniqueKeysWithValues: (picture.object["organisations"] as? [[String: Any]] ?? []).map {
                    ($0["organisation"] as! String, $0)
                })
            for row in lines.dropFirst().map({ $0.split(separator: ",", omittingEmptySubsequences: false) }) where row[5] == "inspection" {
                let shown = byCode[String(row[1])]
                #expect(row[7] == (shown?["overall_stage"] as? Int).map { "\($0)" } ?? "", "\(row[1])")
                let meets =
                    (shown?["meets_minimum"] as? Bool).map { $0 ? "yes" : "no" } ?? (shown?["tier"] == nil ? "tier not set" : "not final")
                #expect(String(row[8]) == meets, "\(row[1])")
            }
            let mine = try await app.testing().sendRequest(
                .GET, "/api/v1/cycles/\(Self.demo)/export", headers: cast["member-of-metropolitan"]!.bearer)
            let rows = mine.text.split(separator: "\r\n").dropFirst()
            let expectedRows: Int = 2 * 17
            #expect(rows.count == expectedRows)
            #expect(rows.allSatisfy { $0.contains(",metropolitan,") })
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/cycles/\(Self.demo)/export").status == .unauthorized)
        }
    }

    @Test func pagesPerRole() async throws {
        try await withApp { app in
            try await DemoData.load(app)
            let cast = try await app.makeCast()
            let base = "/cycles/\(Self.demo)"
            for (actor, user) in cast {
                var session = WebSession(app: app)
                _ = try await session.signIn(user.email, user.password)
                #expect(try await session.get("/cycles").status == .ok, "\(actor)")
                let picture = try await session.get(base)
                #expect(
                    picture.status == .ok && picture.text.contains("<svg") && picture.text.contains("The same figures as a table"),
                    "\(actor)")
                let scoped = actor == "organisation_member" || actor == "partner" || actor == "member-of-metropolitan"
                #expect(picture.text.contains("Kent Police") == !scoped, "\(actor) sees other forces only if staff")
                #expect(try await session.get("\(base)/export.csv").status == .ok, "\(actor)")
                let own = actor == "member-of-metropolitan" ? "metropolitan" : "west-midlands"
                #expect(try await session.get("\(base)/organisations/\(own)").status == .ok, "\(actor)")
                #expect(try await session.get("\(base)/organisations/kent").status == (scoped ? .notFound : .ok), "\(actor)")
                #expect(try await session.get("\(base)/organisations/\(own)/assessments/self").status == .ok, "\(actor)")
                #expect(
                    try await session.get("\(base)/organisations/\(own)/assessments/inspection").status == .ok,
                    "\(actor): the demo inspections are final")
                let tier = try await session.post(
                    "\(base)/organisations/\(own)/tier", form: ["tier": "tier-2", "rationale": "Re-assessed", "marking": "OFFICIAL"],
                    from: "\(base)/organisations/\(own)")
                #expect(tier.status == (["analyst", "lead_inspector"].contains(actor) ? .seeOther : .forbidden), "\(actor) sets a tier")
            }
            let westMidlands = try await Organisation.query(on: app.db).filter(\.$code == "west-midlands").first()!
            let history = try await RiskTierChange.query(on: app.db).filter(\.$organisation.$id == westMidlands.requireID()).all()
            #expect(history.count == 3, "the demo tier, then the analyst's and the lead inspector's")
        }
    }

    @Test func enteringJudgementsThroughThePages() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            let created = try await app.testing().sendRequest(
                .POST, "/api/v1/cycles", headers: .bearer(cast["lead_inspector"]!, json: true),
                body: json([
                    "code": "web-2009", "title": "Web cycle", "framework": "graded-judgement@2022.1", "self_assessment_due": "2009-09-30",
                    "fieldwork_start": "2009-10-01", "fieldwork_end": "2009-12-18", "moderation_due": "2010-01-29",
                    "publication": "2010-03-31",
                    "organisations": ["west-midlands", "kent"],
                ]))
            #expect(created.status == .created)
            var member = WebSession(app: app)
            _ = try await member.signIn(cast["organisation_member"]!.email, testPassword)
            let page = "/cycles/web-2009/organisations/west-midlands/assessments/self"
            let saved = try await member.post(
                "\(page)/judgements/efficiency-demand",
                form: ["level": "4", "narrative": "Demand model", "rationale": "Anticipates demand", "version": "0"], from: page)
            #expect(saved.status == .seeOther)
            let after = try await member.get(page)
            #expect(after.text.contains("Demand model"))
            let stale = try await member.post("\(page)/judgements/efficiency-demand", form: ["level": "1", "version": "0"], from: page)
            #expect(stale.status == .conflict && stale.text.contains("Someone else changed this record"))
            let early = try await member.post("\(page)/transitions", form: ["to": "submitted", "version": "1"], from: page)
            #expect(early.status == .unprocessableEntity && early.text.contains("effectiveness / effectiveness-prevention: a level"))
            #expect(try await member.get("/cycles/web-2009/organisations/kent").status == .notFound)
        }
    }
}
