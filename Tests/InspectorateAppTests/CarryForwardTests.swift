import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("Carry forward and movement")
struct CarryForwardTests {
    @Test func aNewCycleStartsFromTheLastFinalOneAndShowsMovement() async throws {
        try await withApp { app in
            try await DemoData.load(app)
            let cast = try await app.makeCast()
            let lead = cast["lead_inspector"]!
            let created = try await app.testing().sendRequest(
                .POST, "/api/v1/cycles", headers: .bearer(lead, json: true),
                body: json([
                    "code": "prevent-2010", "title": "Prevent 2010", "framework": "police-prevent@2009.1", "previous": DemoData.cycleCode,
                    "self_assessment_due": "2010-09-30", "fieldwork_start": "2010-10-01", "fieldwork_end": "2010-12-17",
                    "moderation_due": "2011-01-28", "publication": "2011-03-31",
                ]))
            #expect(created.status == .created, "\(created.text)")
            for actor in ["inspector", "analyst", "organisation_member"] {
                let refused = try await app.testing().sendRequest(
                    .POST, "/api/v1/cycles/prevent-2010/carry-forward", headers: .bearer(cast[actor]!, json: true), body: json([:]))
                #expect(refused.status == .notFound, "\(actor)")
            }
            let report = try await app.testing().sendRequest(
                .POST, "/api/v1/cycles/prevent-2010/carry-forward", headers: .bearer(lead, json: true),
                body: json(["assessment": "inspection"]))
            #expect(report.status == .ok, "\(report.text)")
            let lines = report.object["organisations"] as? [[String: Any]] ?? []
            #expect(lines.count == 46 && lines.allSatisfy { $0["copied"] as? Int == 17 })
            #expect((report.object["framework_changes"] as? [Any])?.isEmpty == true)
            // The carried assessment is a draft with the old levels; the history says where they came from.
            let path = "/api/v1/cycles/prevent-2010/organisations/kent/assessments/inspection"
            let kent = try await app.testing().sendRequest(.GET, path, headers: lead.bearer)
            #expect(kent.object["status"] as? String == "draft")
            let history = try await app.testing().sendRequest(.GET, "\(path)/history", headers: lead.bearer)
            #expect(
                (history.object["history"] as? [[String: Any]])?.first?["reason"] as? String == "carried forward from \(DemoData.cycleCode)"
            )
            // Carrying forward again leaves started assessments alone.
            let again = try await app.testing().sendRequest(
                .POST, "/api/v1/cycles/prevent-2010/carry-forward", headers: .bearer(lead, json: true), body: json([:]))
            #expect((again.object["organisations"] as? [[String: Any]] ?? []).allSatisfy { $0["copied"] as? Int == 0 })
            // Raise one of Kent's levels: the picture shows the movement.
            let judgement = (kent.object["judgements"] as? [[String: Any]])?.first { $0["criterion"] as? String == "leadership-plan" }
            let level = judgement?["level"] as? Int ?? 1
            let version = judgement?["version"] as? Int ?? 1
            let raised = min(4, level + 1)
            _ = try await app.testing().sendRequest(
                .PUT, "\(path)/judgements/leadership-plan", headers: .bearer(cast["inspector"]!, json: true),
                body: json(["level": raised, "version": version]))
            // Carried copies are drafts: nothing counts as inspected until it is final.
            let before = try await app.testing().sendRequest(.GET, "/api/v1/cycles/prevent-2010/picture", headers: lead.bearer)
            #expect((before.object["summary"] as? [String: Any])?["inspected"] as? Int == 0)
            #expect((before.object["summary"] as? [String: Any])?["not_yet_inspected"] as? Int == 46)
            for target in ["submitted", "moderated", "final"] {
                let moved = try await app.testing().sendRequest(
                    .POST, "/api/v1/cycles/prevent-2010/transitions", headers: .bearer(lead, json: true),
                    body: json(["organisations": ["kent"], "to": target]))
                #expect(moved.status == .ok, "\(target): \(moved.text)")
            }
            let picture = try await app.testing().sendRequest(.GET, "/api/v1/cycles/prevent-2010/picture", headers: lead.bearer)
            #expect((picture.object["summary"] as? [String: Any])?["inspected"] as? Int == 1)
            let row = (picture.object["organisations"] as? [[String: Any]])?.first { $0["organisation"] as? String == "kent" }
            let movement = row?["movement"] as? [String: Int] ?? [:]
            #expect(movement.count == 9, "every area compared with the previous cycle")
            #expect(movement.values.allSatisfy { $0 >= 0 })
            #expect(((picture.object["summary"] as? [String: Any])?["movement_by_area"] as? [String: Double])?.count == 9)
            let none = try await app.testing().sendRequest(
                .POST, "/api/v1/cycles/\(DemoData.cycleCode)/carry-forward", headers: .bearer(lead, json: true), body: json([:]))
            #expect(none.status == .unprocessableEntity && none.errorField == "previous")
            var analyst = WebSession(app: app)
            _ = try await analyst.signIn(cast["analyst"]!.email, testPassword)
            #expect(
                try await analyst.post("/cycles/prevent-2010/carry-forward", form: ["assessment": "self"], from: "/cycles/prevent-2010")
                    .status == .notFound)
            var session = WebSession(app: app)
            _ = try await session.signIn(lead.email, testPassword)
            let carried = try await session.post(
                "/cycles/prevent-2010/carry-forward", form: ["assessment": "self"], from: "/cycles/prevent-2010")
            #expect(carried.status == .seeOther)
            let page = try await session.get("/cycles/prevent-2010")
            // The demonstration's self-assessments were submitted, never made final: none to carry.
            #expect(page.text.contains("Self-assessment carried forward from \(DemoData.cycleCode) for 0 organisations"))
            #expect(page.text.contains("Since \(DemoData.cycleCode)"))
            let output = try await app.run(["cycle", "list"])
            #expect(output.contains("prevent-2010\tpolice-prevent@2009.1"))
        }
    }
}

@Suite("Starting a cycle from the page and the command line")
struct StartCycleTests {
    @Test func fromThePagePerRoleAndWithErrors() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            let form = [
                "code": "prevent-2011", "title": "Prevent 2011", "framework": "police-prevent@2009.1",
                "self_assessment_due": "2011-09-30", "fieldwork_start": "2011-10-03", "fieldwork_end": "2011-12-16",
                "moderation_due": "2012-01-27", "publication": "2012-03-30", "organisations": "kent, essex",
            ]
            for actor in ["inspector", "analyst", "organisation_member", "partner"] {
                var session = WebSession(app: app)
                _ = try await session.signIn(cast[actor]!.email, testPassword)
                #expect(try await session.get("/cycles/new").status == .notFound, "\(actor)")
                #expect(try await session.post("/cycles", form: form, from: "/cycles").status == .notFound, "\(actor)")
            }
            var lead = WebSession(app: app)
            _ = try await lead.signIn(cast["lead_inspector"]!.email, testPassword)
            var bad = form
            bad["fieldwork_end"] = "2011-01-01"
            bad["organisations"] = "kent, atlantis"
            let refused = try await lead.post("/cycles", form: bad, from: "/cycles/new")
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.text.contains(##"href="#fieldwork_end""##) && refused.text.contains("No organisation has the code or name atlantis")
            )
            let started = try await lead.post("/cycles", form: form, from: "/cycles/new")
            #expect(started.status == .seeOther && started.headers.first(name: .location) == "/cycles/prevent-2011")
            #expect(try await lead.get("/cycles/prevent-2011").text.contains("2 organisations shown"))
            let output = try await app.run([
                "cycle", "create", "--code", "cli-2012", "--title", "From the CLI", "--framework", "graded-judgement@2022.1",
                "--self-assessment-due", "2012-01-31", "--fieldwork-start", "2012-02-01", "--fieldwork-end", "2012-03-01",
                "--moderation-due", "2012-04-01", "--publication", "2012-05-01",
            ])
            #expect(output.contains("Started cli-2012 with 46 organisations"))
            await #expect(throws: ValidationErrors.self) { try await app.run(["cycle", "create", "--code", "nope"]) }
        }
    }
}

@Suite("Risk tier form")
struct TierFormTests {
    @Test func aTierWithoutARationaleIsRefusedWithTheErrorShown() async throws {
        try await withApp { app in
            try await DemoData.load(app)
            let analyst = try await app.makeUser(.analyst, vetting: .bpss)
            var session = WebSession(app: app)
            _ = try await session.signIn(analyst.email, testPassword)
            let page = "/cycles/\(DemoData.cycleCode)/organisations/kent"
            let refused = try await session.post(
                "\(page)/tier", form: ["tier": "tier-1", "rationale": " ", "marking": "OFFICIAL"], from: page)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains(##"href="#rationale""##))
            let history = try await app.testing().sendRequest(
                .GET, "/api/v1/cycles/\(DemoData.cycleCode)/organisations/kent/tier/history", headers: analyst.bearer)
            #expect((history.object["changes"] as? [Any])?.count == 1, "only the demonstration's tier")
            // Without vetting the same analyst reads no rationale at all, not even that one.
            let unvetted = try await app.makeUser(.analyst)
            let none = try await app.testing().sendRequest(
                .GET, "/api/v1/cycles/\(DemoData.cycleCode)/organisations/kent/tier/history", headers: unvetted.bearer)
            let noneChanges = none.object["changes"] as? [[String: Any]] ?? []
            #expect(
                noneChanges.count == 1 && noneChanges.allSatisfy { $0["rationale"] == nil && $0["rationale_withheld"] as? Bool == true })
        }
    }
}
