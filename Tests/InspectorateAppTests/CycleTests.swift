import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("Cycles, risk tiers and assessments")
struct CycleTests {
    static var cycleBody: [String: Any] {
        [
            "code": "prevent-2009", "title": "Prevent inspection 2009", "framework": "police-prevent@2009.1",
            "self_assessment_due": "2009-09-30", "fieldwork_start": "2009-10-01", "fieldwork_end": "2009-12-18",
            "moderation_due": "2010-01-29", "publication": "2010-03-31",
        ]
    }

    func send(
        _ app: Application, _ user: TestUser, _ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil
    ) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(method, path, headers: .bearer(user, json: body != nil), body: body.map(json))
    }

    func startCycle(_ app: Application, _ lead: TestUser) async throws {
        let response = try await send(app, lead, .POST, "/api/v1/cycles", Self.cycleBody)
        #expect(response.status == .created, "\(response.text)")
    }

    static let base = "/api/v1/cycles/prevent-2009/organisations"

    @Test func startingACycle() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            for actor in ["inspector", "analyst", "organisation_member", "partner"] {
                #expect(try await send(app, cast[actor]!, .POST, "/api/v1/cycles", Self.cycleBody).status == .notFound, "\(actor)")
            }
            try await startCycle(app, cast["lead_inspector"]!)
            let again = try await send(app, cast["administrator"]!, .POST, "/api/v1/cycles", Self.cycleBody)
            #expect(again.status == .conflict && again.errorField == "code")
            var bad = Self.cycleBody
            bad["code"] = "bad-dates"
            bad["fieldwork_end"] = "2009-09-01"
            let dates = try await send(app, cast["administrator"]!, .POST, "/api/v1/cycles", bad)
            #expect(dates.status == .unprocessableEntity && dates.errorField == "fieldwork_end", "\(dates.text)")
            bad = Self.cycleBody
            bad["code"] = "bad-framework"
            bad["framework"] = "police-prevent@1999"
            #expect(try await send(app, cast["administrator"]!, .POST, "/api/v1/cycles", bad).errorField == "framework")
            bad["framework"] = "police-prevent@2009.1"
            bad["organisations"] = ["kent", "atlantis"]
            #expect(try await send(app, cast["administrator"]!, .POST, "/api/v1/cycles", bad).errorField == "organisations")
            let inspector = try await send(app, cast["inspector"]!, .GET, "/api/v1/cycles/prevent-2009")
            #expect((inspector.object["organisations"] as? [Any])?.count == 46, "every force and agency by default")
            let member = try await send(app, cast["organisation_member"]!, .GET, "/api/v1/cycles/prevent-2009")
            #expect((member.object["organisations"] as? [[String: Any]])?.map { $0["organisation"] as? String } == ["west-midlands"])
            let list = try await send(app, cast["partner"]!, .GET, "/api/v1/cycles")
            #expect((list.object["cycles"] as? [Any])?.count == 1)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/cycles").status == .unauthorized)
        }
    }

    @Test func riskTiersAreSetWithARationaleAndKeepTheirHistory() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            try await startCycle(app, cast["lead_inspector"]!)
            let path = "\(Self.base)/west-midlands/tier"
            let body: [String: Any] = [
                "tier": "tier-1", "rationale": "CTLP assesses the highest threat outside London", "marking": "OFFICIAL-SENSITIVE",
            ]
            for (actor, status) in [
                ("inspector", HTTPStatus.forbidden), ("administrator", .forbidden), ("organisation_member", .forbidden),
                ("member-of-metropolitan", .notFound), ("analyst", .ok),
            ] {
                #expect(try await send(app, cast[actor]!, .PUT, path, body).status == status, "\(actor)")
            }
            let missing = try await send(app, cast["lead_inspector"]!, .PUT, path, ["tier": "tier-9", "rationale": " "])
            #expect(missing.status == .unprocessableEntity && missing.errorField == "tier")
            let changed = try await send(
                app, cast["lead_inspector"]!, .PUT, path, ["tier": "tier-2", "rationale": "Re-assessed after the CTLP refresh"])
            #expect(changed.object["from_tier"] as? String == "tier-1" && changed.object["to_tier"] as? String == "tier-2")
            let history = try await send(app, cast["inspector"]!, .GET, "\(path)/history")
            let changes = history.object["changes"] as? [[String: Any]] ?? []
            #expect(changes.map { $0["to_tier"] as? String } == ["tier-2", "tier-1"])
            #expect(changes.last?["changed_by"] as? String == cast["analyst"]!.email)
            #expect(changes.last?["rationale"] as? String == "CTLP assesses the highest threat outside London")
            #expect(
                try await send(app, cast["organisation_member"]!, .GET, "\(path)/history").status == .notFound, "the rationale is marked")
            // A SECRET rationale is left out for the SC-cleared inspector's colleague with BPSS only,
            // and a marking outside the scheme is refused by name.
            #expect(
                try await send(
                    app, cast["analyst"]!, .PUT, path,
                    ["tier": "tier-1", "rationale": "Reporting from a live operation", "marking": "SECRET"]
                ).status == .ok)
            #expect(
                try await send(app, cast["analyst"]!, .PUT, path, ["tier": "tier-1", "rationale": "x", "marking": "HUSH"]).errorField
                    == "marking")
            let bpssInspector = try await app.makeUser(.inspector, vetting: .bpss)
            let partial = try await send(app, bpssInspector, .GET, "\(path)/history")
            // Every change is listed; the SECRET rationale is withheld from BPSS.
            let partialChanges = partial.object["changes"] as? [[String: Any]] ?? []
            #expect(partialChanges.map { $0["to_tier"] as? String } == ["tier-1", "tier-2", "tier-1"])
            #expect(partialChanges.filter { $0["rationale_withheld"] as? Bool == true }.count == 1)
            let full = try await send(app, cast["inspector"]!, .GET, "\(path)/history")
            #expect((full.object["changes"] as? [[String: Any]] ?? []).first?["marking"] as? String == "SECRET")
            let reads = try await AuditTrail.page(AuditTrail.Filter(action: "tier-rationale.read"), before: nil, on: app.db)
            #expect(reads.filter { $0.actorEmail == bpssInspector.email }.count == 2)
        }
    }

    @Test func theSelfAssessmentWorkflowFromDraftToFinal() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            let member = cast["organisation_member"]!, lead = cast["lead_inspector"]!
            try await startCycle(app, lead)
            _ = try await send(
                app, cast["analyst"]!, .PUT, "\(Self.base)/west-midlands/tier", ["tier": "tier-1", "rationale": "Highest risk"])
            let path = "\(Self.base)/west-midlands/assessments/self"
            let empty = try await send(app, member, .GET, path)
            #expect(empty.object["status"] as? String == "draft")
            #expect((empty.object["missing"] as? [String])?.count == 17)
            // A first judgement, then a stale second write from someone holding version 0.
            let first = try await send(
                app, member, .PUT, "\(path)/judgements/leadership-plan",
                ["level": 3, "narrative": "Plan in place", "rationale": "Milestones met", "version": 0])
            #expect(first.status == .ok && first.object["version"] as? Int == 1)
            let stale = try await send(app, member, .PUT, "\(path)/judgements/leadership-plan", ["level": 1, "version": 0])
            #expect(stale.status == .conflict)
            #expect(((stale.object["error"] as? [String: Any])?["current"] as? [String: Any])?["level"] as? Int == 3)
            #expect(
                try await send(app, member, .PUT, "\(path)/judgements/leadership-plan", ["level": 7, "version": 1]).errorField == "level")
            #expect(
                try await send(app, member, .PUT, "\(path)/judgements/no-such-criterion", ["level": 2, "version": 0]).status == .notFound)
            #expect(
                try await send(app, cast["inspector"]!, .PUT, "\(path)/judgements/leadership-plan", ["level": 2, "version": 1]).status
                    == .forbidden)
            #expect(try await send(app, cast["member-of-metropolitan"]!, .GET, path).status == .notFound)
            // Submitting with gaps lists every gap.
            let early = try await send(app, member, .POST, "\(path)/transitions", ["to": "submitted", "version": 1])
            #expect(early.status == .unprocessableEntity && early.errorCode == "incomplete")
            #expect(
                ((early.object["error"] as? [String: Any])?["problems"] as? [String])?.contains(
                    "performance / performance-evaluation: a level, the evidence narrative, the rationale") == true)
            let framework = try await FrameworkService.require(reference: "police-prevent@2009.1", on: app.db).framework()
            var versions: [String: Int] = ["leadership-plan": 1]
            for (_, criterion) in framework.criteria {
                let response = try await send(
                    app, member, .PUT, "\(path)/judgements/\(criterion.code)",
                    [
                        "level": 3, "narrative": "Evidence for \(criterion.code)", "rationale": "Meets level 3",
                        "version": versions[criterion.code] ?? 0,
                    ])
                #expect(response.status == .ok, "\(criterion.code): \(response.text)")
                versions[criterion.code] = response.object["version"] as? Int
            }
            let complete = try await send(app, member, .GET, path)
            #expect(complete.object["meets_minimum"] as? Bool == true && complete.object["overall_stage"] as? Int == 3)
            let submitted = try await send(app, member, .POST, "\(path)/transitions", ["to": "submitted", "version": 1])
            #expect(submitted.status == .ok && submitted.object["status"] as? String == "submitted", "\(submitted.text)")
            #expect(
                try await send(app, member, .PUT, "\(path)/judgements/leadership-plan", ["level": 4, "version": 2]).status == .forbidden,
                "submitted: the member can no longer edit")
            // Moderation: the lead inspector changes a level, giving a reason.
            #expect(try await send(app, lead, .POST, "\(path)/transitions", ["to": "moderated", "version": 2]).status == .ok)
            let noReason = try await send(app, lead, .PUT, "\(path)/judgements/sharing-vetting", ["level": 2, "version": 1])
            #expect(noReason.status == .unprocessableEntity && noReason.errorField == "reason")
            let moderated = try await send(
                app, lead, .PUT, "\(path)/judgements/sharing-vetting", ["level": 2, "version": 1, "reason": "No partner staff vetted yet"])
            #expect(moderated.status == .ok)
            let after = try await send(app, lead, .GET, path)
            #expect(after.object["meets_minimum"] as? Bool == false, "tier 1 needs Established in information sharing")
            let area = (after.object["areas"] as? [[String: Any]])?.first { $0["area"] as? String == "information-sharing" }
            #expect(area?["level"] as? Int == 2 && area?["shortfall"] as? Int == 1)
            #expect(
                try await send(app, member, .POST, "\(path)/transitions", ["to": "final", "version": 3]).status == .conflict,
                "members do not finalise")
            #expect(try await send(app, lead, .POST, "\(path)/transitions", ["to": "final", "version": 3]).status == .ok)
            let locked = try await send(
                app, lead, .PUT, "\(path)/judgements/sharing-vetting", ["level": 3, "version": 2, "reason": "late"])
            #expect(locked.status == .forbidden)
            let history = try await send(app, lead, .GET, "\(path)/history")
            let entries = history.object["history"] as? [[String: Any]] ?? []
            let change = entries.first {
                $0["criterion"] as? String == "sharing-vetting" && $0["field"] as? String == "level" && $0["new_value"] as? String == "2"
            }
            #expect(
                change?["old_value"] as? String == "3" && change?["reason"] as? String == "No partner staff vetted yet"
                    && change?["changed_by"] as? String == lead.email)
            #expect(entries.contains { $0["field"] as? String == "status" && $0["new_value"] as? String == "final" })
        }
    }

    @Test func inspectionsAreHiddenFromTheOrganisationUntilFinal() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            try await startCycle(app, cast["lead_inspector"]!)
            let path = "\(Self.base)/west-midlands/assessments/inspection"
            let written = try await send(
                app, cast["inspector"]!, .PUT, "\(path)/judgements/leadership-plan",
                ["level": 2, "narrative": "n", "rationale": "r", "version": 0])
            #expect(written.status == .ok)
            #expect(try await send(app, cast["organisation_member"]!, .GET, path).status == .notFound)
            #expect(
                try await send(app, cast["organisation_member"]!, .PUT, "\(path)/judgements/leadership-plan", ["level": 4, "version": 1])
                    .status == .notFound)
            #expect(try await send(app, cast["analyst"]!, .GET, path).status == .ok)
            #expect(
                try await send(app, cast["analyst"]!, .PUT, "\(path)/judgements/leadership-plan", ["level": 4, "version": 1]).status
                    == .forbidden)
            #expect(try await send(app, cast["inspector"]!, .GET, "\(Self.base)/west-midlands/assessments/other").status == .notFound)
        }
    }
}
