import Fluent
import Foundation
import InspectorateCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("Audit trail")
struct AuditTrailTests {
    @Test func signInsAndChangesAreChainedAndVerify() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            var web = WebSession(app: app)
            _ = try await web.signIn(admin.email, "wrong password entirely")
            _ = try await web.signIn(admin.email, admin.password)
            let signIns = try await AuditTrail.page(AuditTrail.Filter(action: "sign-in"), before: nil, on: app.db)
            #expect(signIns.map(\.outcome) == [.success, .failure])
            #expect(signIns.last?.detail.hasPrefix("wrong password") == true)
            #expect(signIns.allSatisfy { !$0.requestID.isEmpty })

            let output = try await app.run(["audit", "verify"])
            #expect(output.contains("entries verified"))
            let checkpoint = try await app.run(["audit", "checkpoint"]).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(AuditCheckpoint(checkpoint) != nil)
            #expect(try await app.run(["audit", "verify", "--checkpoint", checkpoint]).contains("Matches the checkpoint"))

            // The audit page and its CSV are for administrators only.
            let page = try await web.get("/audit?action=sign-in")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("wrong password"))
            let csv = try await web.get("/audit.csv?outcome=failure")
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.body.string.split(separator: "\r\n").count == 2)
            #expect(try await web.get("/audit?from=yesterday").body.string.contains("is not a date"))
            let partner = try await app.makeUser(.partner)
            var other = WebSession(app: app)
            _ = try await other.signIn(partner.email, partner.password)
            #expect(try await other.get("/audit").status == .notFound)
            #expect(try await other.get("/audit.csv").status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/audit", headers: partner.bearer).status == .notFound)
            let refusals = try await AuditTrail.page(
                AuditTrail.Filter(user: partner.email, action: "access", outcome: .denied), before: nil, on: app.db)
            #expect(refusals.map(\.recordID).sorted() == ["GET /api/v1/audit", "GET /audit", "GET /audit.csv"])
            let byRoute = try await AuditTrail.page(AuditTrail.Filter(record: "GET /audit.csv"), before: nil, on: app.db)
            #expect(byRoute.map(\.actorEmail) == [partner.email], "a record that is not a UUID is found as written")
            let byUser = try await AuditTrail.page(
                AuditTrail.Filter(record: partner.user.id!.uuidString.lowercased()), before: nil, on: app.db)
            #expect(!byUser.isEmpty, "a UUID is found whatever its case")
            let api = try await app.testing().sendRequest(.GET, "/api/v1/audit?limit=2", headers: admin.bearer)
            #expect((api.object["entries"] as? [Any])?.count == 2)
            #expect(api.object["next"] is Int)
        }
    }

    @Test func tamperingIsFoundAndNamed() async throws {
        try await withApp { app in
            // First start already recorded loading the reference data.
            let start = try await AuditTrail.checkpoint(on: app.db).count
            #expect(start > 0)
            for _ in 0..<3 { _ = try await app.makeUser(.inspector) }
            let checkpoint = try await AuditTrail.checkpoint(on: app.db)
            #expect(checkpoint.count == start + 6, "an account and its token each")
            let sql = app.db as! any SQLDatabase
            let second = start + 2
            try await sql.raw("UPDATE audit_entries SET detail = 'nothing happened' WHERE seq = \(bind: second)").run()
            await #expect(throws: FieldError.self) { try await app.run(["audit", "verify"]) }
            let altered = try await AuditTrail.verify(checkpoint: nil, on: app.db)
            #expect(altered.problem == .altered(seq: second))

            try await sql.raw("DELETE FROM audit_entries WHERE seq = \(bind: second)").run()
            #expect(try await AuditTrail.verify(checkpoint: nil, on: app.db).problem == .missing(expected: second, found: second + 1))

            // Entries cut from the end are named against the head the database keeps, with or
            // without a checkpoint kept elsewhere.
            try await sql.raw("DELETE FROM audit_entries WHERE seq >= \(bind: second)").run()
            let cut = try await AuditTrail.verify(checkpoint: nil, on: app.db).problem
            #expect(cut == .truncated(count: second - 1, head: start + 6))
            #expect(cut?.description.contains("entries \(second)–\(start + 6) are gone") == true)
            #expect(
                try await AuditTrail.verify(checkpoint: checkpoint, on: app.db).problem == .truncated(count: second - 1, head: start + 6))
            let output = try? await app.run(["audit", "verify"])
            #expect(output == nil, "the command fails")
            // Every entry deleted.
            try await sql.raw("DELETE FROM audit_entries").run()
            #expect(try await AuditTrail.verify(checkpoint: nil, on: app.db).problem == .truncated(count: 0, head: start + 6))
        }
    }

    @Test func concurrentAppendsNeverFork() async throws {
        try await withApp { app in
            let actor = app.commandLineCaller()
            let start = try await AuditTrail.checkpoint(on: app.db).count
            try await withThrowingTaskGroup(of: Void.self) { group in
                // More appenders than the pool has connections (4), so they queue on the head row,
                // but few enough not to starve the other suites running alongside on PostgreSQL.
                for index in 0..<16 {
                    group.addTask {
                        try await Audit.record(AuditEvent(action: "test.concurrent", detail: "\(index)"), caller: actor, on: app.db)
                    }
                }
                try await group.waitForAll()
            }
            let result = try await AuditTrail.verify(checkpoint: nil, on: app.db)
            #expect(result.problem == nil)
            #expect(result.count == start + 16)
        }
    }

    @Test func writesAreRecordedWithTheirActorAndRequest() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            let cycles = CycleTests()
            try await cycles.startCycle(app, cast["lead_inspector"]!)
            let member = cast["organisation_member"]!
            let judged = try await cycles.send(
                app, member, .PUT, "\(CycleTests.base)/west-midlands/assessments/self/judgements/leadership-plan",
                ["level": 3, "narrative": "Plan in place", "rationale": "Milestones met", "version": 0])
            let partner = try await cycles.send(app, cast["inspector"]!, .POST, "/api/v1/organisations", ["name": "Sandwell Council"])
            #expect(partner.status == .created)
            let expected: [(String, TestUser)] = [
                ("cycle.create", cast["lead_inspector"]!), ("judgement.set", member), ("organisation.create", cast["inspector"]!),
            ]
            for (action, actor) in expected {
                let entries = try await AuditTrail.page(AuditTrail.Filter(action: action), before: nil, on: app.db)
                #expect(entries.count == 1, "\(action)")
                #expect(entries.first?.actorEmail == actor.email, "\(action)")
                #expect(entries.first?.actorVetting == actor.user.vettingLevel.rawValue)
                #expect(entries.first?.requestID.isEmpty == false)
            }
            let judgement = try await AuditTrail.page(AuditTrail.Filter(action: "judgement.set"), before: nil, on: app.db).first
            #expect(judgement?.requestID == judged.headers.first(name: "X-Request-Id"))
            #expect(try await AuditTrail.verify(checkpoint: nil, on: app.db).problem == nil)
        }
    }
}
