import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("Evidence files under markings")
struct EvidenceTests {
    static let base = "/api/v1/cycles/prevent-2009/organisations/west-midlands/assessments"

    static func upload(
        _ app: Application, _ user: TestUser, kind: String, criterion: String = "leadership-plan", fields: [String: String],
        file: (String, Data) = ("plan.pdf", SharingTests.pdf)
    ) async throws -> TestingHTTPResponse {
        let (headers, body) = multipart(fields, file: (filename: file.0, data: file.1))
        return try await app.testing().sendRequest(
            .POST, "\(base)/\(kind)/judgements/\(criterion)/evidence", headers: user.bearer.adding(headers), body: body)
    }

    @Test func evidenceIsStoredCheckedAndReadOnlyByThoseCleared() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            try await CycleTests().startCycle(app, cast["lead_inspector"]!)
            let member = cast["organisation_member"]!, inspector = cast["inspector"]!
            let own = try await Self.upload(
                app, member, kind: "self", fields: ["title": "Prevent delivery plan", "marking": "OFFICIAL-SENSITIVE"])
            #expect(own.status == .created, "\(own.text)")
            #expect(own.object["sha256"] as? String == SHA256.hash(data: SharingTests.pdf).map { String(format: "%02x", $0) }.joined())
            let secret = try await Self.upload(
                app, inspector, kind: "inspection", fields: ["title": "Source reporting", "marking": "SECRET"])
            #expect(secret.status == .created)

            // The SC inspector sees both; a BPSS inspector sees only the first.
            let bpssInspector = try await app.makeUser(.inspector, vetting: .bpss)
            let all = try await app.testing().sendRequest(.GET, "\(Self.base)/inspection/evidence", headers: inspector.bearer)
            #expect((all.object["evidence"] as? [Any])?.count == 1)
            let limited = try await app.testing().sendRequest(.GET, "\(Self.base)/inspection/evidence", headers: bpssInspector.bearer)
            #expect((limited.object["evidence"] as? [Any])?.count == 0)
            let secretID = secret.object["id"] as! String
            #expect(
                try await app.testing().sendRequest(.GET, "/api/v1/evidence/\(secretID)/content", headers: bpssInspector.bearer).status
                    == .notFound)
            let download = try await app.testing().sendRequest(.GET, "/api/v1/evidence/\(secretID)/content", headers: inspector.bearer)
            #expect(download.status == .ok)
            #expect(download.headers.first(name: "X-Security-Marking") == "SECRET")
            #expect(Data(download.body.readableBytesView) == SharingTests.pdf)
            // The force does not see the inspectors' draft, nor another force anything.
            #expect(
                try await app.testing().sendRequest(.GET, "/api/v1/evidence/\(secretID)/content", headers: member.bearer).status
                    == .notFound)
            let ownID = own.object["id"] as! String
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/evidence/\(ownID)/content", headers: member.bearer).status == .ok)
            #expect(
                try await app.testing().sendRequest(
                    .GET, "/api/v1/evidence/\(ownID)/content", headers: cast["member-of-metropolitan"]!.bearer
                ).status == .notFound)
            let reads = try await AuditTrail.page(AuditTrail.Filter(action: "evidence.read"), before: nil, on: app.db)
            #expect(reads.filter { $0.outcome == .denied }.count == 3)
        }
    }

    @Test func badEvidenceIsRefusedByField() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            try await CycleTests().startCycle(app, cast["lead_inspector"]!)
            let member = cast["organisation_member"]!
            let cases: [(String, [String: String], (String, Data), String)] = [
                ("leadership-plan", [:], ("a.pdf", SharingTests.pdf), "marking"),
                ("leadership-plan", ["marking": "SECRET"], ("a.pdf", SharingTests.pdf), "marking"),
                ("leadership-plan", ["marking": "OFFICIAL"], ("a.sh", Data("#!/bin/sh".utf8)), "file"),
                ("no-such-criterion", ["marking": "OFFICIAL"], ("a.pdf", SharingTests.pdf), "criterion"),
            ]
            for (criterion, fields, file, field) in cases {
                let response = try await Self.upload(app, member, kind: "self", criterion: criterion, fields: fields, file: file)
                #expect(response.status == .unprocessableEntity, "\(fields)")
                #expect(response.errorField == field, "\(fields): \(response.text)")
            }
            #expect(try await EvidenceFile.query(on: app.db).count() == 0)
            // Inspectors do not add to the force's self-assessment, nor forces to the inspection.
            #expect(try await Self.upload(app, cast["inspector"]!, kind: "self", fields: ["marking": "OFFICIAL"]).status == .forbidden)
            #expect(try await Self.upload(app, member, kind: "inspection", fields: ["marking": "OFFICIAL"]).status == .notFound)
        }
    }

    @Test func thePageListsAndTakesEvidence() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            try await CycleTests().startCycle(app, cast["lead_inspector"]!)
            let member = cast["organisation_member"]!
            var web = WebSession(app: app)
            _ = try await web.signIn(member.email, member.password)
            let page = "/cycles/prevent-2009/organisations/west-midlands/assessments/self"
            let csrf = WebSession.csrf(in: try await web.get(page).body.string)!
            let (headers, body) = multipart(
                ["_csrf": csrf, "criterion": "leadership-plan", "marking": "OFFICIAL"],
                file: (filename: "minutes.txt", data: Data("Board minutes".utf8)))
            var sent = headers
            sent.add(name: .cookie, value: web.cookie!)
            let posted = try await app.testing().sendRequest(.POST, "\(page)/evidence", headers: sent, body: body)
            #expect(posted.status == .seeOther, "\(posted.text)")
            let shown = try await web.get(page)
            #expect(shown.body.string.contains("minutes.txt"))
            #expect(shown.body.string.contains("marking-tag\">OFFICIAL"))
            let id = try await EvidenceFile.query(on: app.db).first()!.id!
            let download = try await web.get("/evidence/\(id)")
            #expect(download.status == .ok)
            #expect(download.headers.first(name: .contentDisposition)?.contains("OFFICIAL_minutes.txt") == true)
        }
    }

    @Test func narrativesAreMarkedAndWithheldFromThoseNotCleared() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            try await CycleTests().startCycle(app, cast["lead_inspector"]!)
            let inspector = cast["inspector"]!, lead = cast["lead_inspector"]!
            let path = "\(Self.base)/inspection"
            let judged = try await CycleTests().send(
                app, inspector, .PUT, "\(path)/judgements/leadership-plan",
                ["level": 2, "narrative": "Board papers show no Prevent lead", "rationale": "Gaps", "version": 0])
            #expect(judged.status == .ok)
            let bpss = try await app.makeUser(.inspector, vetting: .bpss)
            let unvetted = try await app.makeUser(.analyst)
            // OFFICIAL-SENSITIVE by default: BPSS reads it, no vetting does not.
            let read = try await CycleTests().send(app, bpss, .GET, path)
            #expect(read.object["narratives_withheld"] as? Bool == false)
            #expect((read.object["narrative_marking"] as? [String: Any])?["level"] as? String == "OFFICIAL-SENSITIVE")
            let withheld = try await CycleTests().send(app, unvetted, .GET, path)
            #expect(withheld.object["narratives_withheld"] as? Bool == true)
            let first = (withheld.object["judgements"] as? [[String: Any]])?.first { $0["criterion"] as? String == "leadership-plan" }
            #expect(first?["level"] as? Int == 2, "levels stay visible")
            #expect(first?["narrative"] == nil && first?["rationale"] == nil, "the text is absent")
            let history = try await CycleTests().send(app, unvetted, .GET, "\(path)/history")
            #expect(
                history.status == .ok
                    && (history.object["history"] as? [[String: Any]])?.contains { $0["field"] as? String == "level" } == true,
                "the history is there, its levels shown")
            #expect(!history.text.contains("Board papers"), "history does not leak the narrative")

            // Raising it to SECRET leaves the BPSS inspector with levels only, and they cannot overwrite what they cannot read.
            let noReason = try await CycleTests().send(app, lead, .PUT, "\(path)/marking", ["marking": "SECRET"])
            #expect(noReason.errorField == "reason")
            let raised = try await CycleTests().send(
                app, lead, .PUT, "\(path)/marking", ["marking": "SECRET", "reason": "Cites source reporting"])
            #expect(raised.status == .ok, "\(raised.text)")
            #expect(try await CycleTests().send(app, bpss, .GET, path).object["narratives_withheld"] as? Bool == true)
            let blind = try await CycleTests().send(
                app, bpss, .PUT, "\(path)/judgements/leadership-plan", ["narrative": "overwritten", "version": 1])
            #expect(blind.status == .forbidden && blind.errorField == "narrative")
            #expect(
                try await CycleTests().send(app, bpss, .PUT, "\(path)/judgements/leadership-plan", ["level": 3, "version": 1]).status
                    == .ok,
                "levels can still be graded")
            #expect(
                try await CycleTests().send(app, cast["analyst"]!, .PUT, "\(path)/marking", ["marking": "OFFICIAL", "reason": "x"]).status
                    == .forbidden)
            let change = try await MarkingChange.query(on: app.db).first()
            #expect(change?.reason == "Cites source reporting" && change?.toMarking == "SECRET")
            // The page says so, and hides the text.
            var web = WebSession(app: app)
            _ = try await web.signIn(bpss.email, bpss.password)
            let page = try await web.get("/cycles/prevent-2009/organisations/west-midlands/assessments/inspection")
            #expect(page.status == .ok && page.body.string.contains("withheld"))
            #expect(!page.body.string.contains("Board papers"))
            let denied = try await AuditTrail.page(AuditTrail.Filter(action: "narratives.read", outcome: .denied), before: nil, on: app.db)
            #expect(denied.contains { $0.actorEmail == unvetted.email } && denied.contains { $0.actorEmail == bpss.email })
        }
    }

    @Test func needToKnowGroupsRestrictEvidenceRationalesAndNarratives() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            try await CycleTests().startCycle(app, cast["lead_inspector"]!)
            let inspector = cast["inspector"]!, lead = cast["lead_inspector"]!, analyst = cast["analyst"]!
            let outsider = try await app.makeUser(.inspector, vetting: .dv)
            let team = try await SharingTests.group(app, owner: lead, members: [inspector, analyst], name: "Operation team")
            let notMine = try await SharingTests.group(app, owner: outsider, name: "Elsewhere")

            let refused = try await Self.upload(app, inspector, kind: "inspection", fields: ["marking": "OFFICIAL", "groups": notMine])
            #expect(refused.errorField == "groups")
            let restricted = try await Self.upload(app, inspector, kind: "inspection", fields: ["marking": "OFFICIAL", "groups": team])
            #expect(restricted.status == .created)
            let id = restricted.object["id"] as! String
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/evidence/\(id)/content", headers: lead.bearer).status == .ok)
            #expect(
                try await app.testing().sendRequest(.GET, "/api/v1/evidence/\(id)/content", headers: outsider.bearer).status == .notFound,
                "DV vetting is not enough without the group")
            let listed = try await app.testing().sendRequest(.GET, "\(Self.base)/inspection/evidence", headers: outsider.bearer)
            #expect((listed.object["evidence"] as? [Any])?.count == 0)

            let tier = try await CycleTests().send(
                app, analyst, .PUT, "/api/v1/cycles/prevent-2009/organisations/west-midlands/tier",
                ["tier": "tier-1", "rationale": "From the team's assessment", "groups": [team]])
            #expect(tier.status == .ok, "\(tier.text)")
            let seen = try await CycleTests().send(
                app, outsider, .GET, "/api/v1/cycles/prevent-2009/organisations/west-midlands/tier/history")
            // Listed, so the history agrees with the tier shown; the rationale withheld.
            let seenChanges = seen.object["changes"] as? [[String: Any]] ?? []
            #expect(
                seenChanges.count == 1 && seenChanges.allSatisfy { $0["rationale"] == nil && $0["rationale_withheld"] as? Bool == true })
            let theirs = try await CycleTests().send(
                app, inspector, .GET, "/api/v1/cycles/prevent-2009/organisations/west-midlands/tier/history")
            #expect((theirs.object["changes"] as? [Any])?.count == 1)

            // The same from the scorecard page, ticking the group.
            var web = WebSession(app: app)
            _ = try await web.signIn(lead.email, lead.password)
            let scorecard = "/cycles/prevent-2009/organisations/kent"
            let posted = try await web.post(
                "\(scorecard)/tier", form: ["tier": "tier-2", "rationale": "Team view", "marking": "OFFICIAL", "groups[]": team],
                from: scorecard)
            #expect(posted.status == .seeOther)
            let kent = try await CycleTests().send(app, outsider, .GET, "/api/v1/cycles/prevent-2009/organisations/kent/tier/history")
            #expect((kent.object["changes"] as? [[String: Any]] ?? []).allSatisfy { $0["rationale"] == nil })
            #expect(try await RecordGroup.query(on: app.db).filter(\.$recordType == "risk_tier_rationale").count() == 2)

            let marked = try await CycleTests().send(
                app, lead, .PUT, "\(Self.base)/inspection/marking",
                ["marking": "OFFICIAL-SENSITIVE", "groups": [team], "reason": "Team only"])
            #expect(marked.status == .ok, "\(marked.text)")
            #expect(
                try await CycleTests().send(app, outsider, .GET, "\(Self.base)/inspection").object["narratives_withheld"] as? Bool == true)
            #expect(
                try await CycleTests().send(app, inspector, .GET, "\(Self.base)/inspection").object["narratives_withheld"] as? Bool == false
            )
        }
    }
}
