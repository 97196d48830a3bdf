import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("Bulk import of judgements")
struct JudgementImportTests {
    func startCycle(_ app: Application, _ lead: TestUser) async throws {
        let response = try await app.testing().sendRequest(
            .POST, "/api/v1/cycles", headers: .bearer(lead, json: true),
            body: json([
                "code": "grades", "title": "Graded cycle", "framework": "graded-judgement@2022.1", "self_assessment_due": "2022-01-31",
                "fieldwork_start": "2022-02-01", "fieldwork_end": "2022-04-30", "moderation_due": "2022-05-31", "publication": "2022-07-01",
                "organisations": ["kent", "essex"],
            ]))
        #expect(response.status == .created)
    }

    static let codes = [
        "effectiveness-prevention", "effectiveness-response", "effectiveness-vulnerable", "efficiency-demand",
        "efficiency-resources", "legitimacy-fairness", "legitimacy-workforce",
    ]

    static func sheet(level: Int = 3) -> String {
        var text = "organisation,criterion,level,narrative\n"
        for organisation in ["kent", "essex"] {
            for code in codes { text += "\(organisation),\(code),\(level),\"Graded, in a spreadsheet\"\n" }
        }
        return text
    }

    func post(_ app: Application, _ user: TestUser, _ csv: String, dryRun: Bool = false) async throws -> TestingHTTPResponse {
        var headers = user.bearer
        headers.replaceOrAdd(name: .contentType, value: "text/csv")
        return try await app.testing().sendRequest(
            .POST, "/api/v1/cycles/grades/judgements\(dryRun ? "?dry_run=true" : "")", headers: headers, body: ByteBuffer(string: csv))
    }

    @Test func aDryRunReportsEveryBadRowAndARealRunWritesAllOrNothing() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            try await startCycle(app, cast["lead_inspector"]!)
            let inspector = cast["inspector"]!
            let bad =
                "organisation,criterion,level\nkent,effectiveness-response,3\natlantis,effectiveness-response,2\nkent,no-such,2\nessex,efficiency-demand,9\nkent,effectiveness-response,4\nessex,legitimacy-fairness,high\n"
            for dryRun in [true, false] {
                let response = try await post(app, inspector, bad, dryRun: dryRun)
                #expect(response.status == .unprocessableEntity)
                let problems = (response.object["error"] as? [String: Any])?["problems"] as? [String] ?? []
                #expect(
                    problems == [
                        "line 3: organisation \"atlantis\" is not in this cycle",
                        "line 4: criterion \"no-such\" is not in graded-judgement@2022.1",
                        "line 5: level 9 is not on the scale (1–5)",
                        "line 6: kent / effectiveness-response is already given on line 2",
                        "line 7: level \"high\" is not a whole number",
                    ])
            }
            #expect(try await Judgement.query(on: app.db).count() == 0, "nothing written from a bad file")
            let missing = try await post(app, inspector, "organisation,level\nkent,3\n")
            #expect(missing.status == .unprocessableEntity && missing.text.contains("required column \\\"criterion\\\" is missing"))

            let dry = try await post(app, inspector, Self.sheet(), dryRun: true)
            #expect(dry.object["created"] as? Int == 14 && dry.object["dry_run"] as? Bool == true)
            #expect(try await Judgement.query(on: app.db).count() == 0)
            let real = try await post(app, inspector, Self.sheet())
            #expect(real.status == .ok && real.object["created"] as? Int == 14)
            let again = try await post(app, inspector, Self.sheet(level: 4))
            #expect(again.object["updated"] as? Int == 14)
            let stored = try await Assessment.query(on: app.db).filter(\.$kind == .inspection).all().map(\.overallStage)
            #expect(stored == [4, 4], "results kept current by the import")
            // Draft inspections are not results: the picture shows no stage until they are final.
            let picture = try await app.testing().sendRequest(.GET, "/api/v1/cycles/grades/picture", headers: inspector.bearer)
            let rows = picture.object["organisations"] as? [[String: Any]] ?? []
            #expect(rows.count == 2 && rows.allSatisfy { $0["overall_stage"] == nil && $0["inspection_status"] as? String == "draft" })
            // The same rule as every other write: an inspection is written by inspectors. Each row is
            // refused saying so, nothing is written, and the refusal is in the trail.
            for actor in ["analyst", "administrator"] {
                let refused = try await post(app, cast[actor]!, Self.sheet(level: 1))
                #expect(refused.status == .unprocessableEntity, "\(actor)")
                #expect(refused.text.contains("refused: An inspection is written by inspectors and lead inspectors"), "\(actor)")
            }
            // A force outside the cycle does not see the cycle at all.
            #expect(try await post(app, cast["organisation_member"]!, Self.sheet(level: 1)).status == .notFound)
            #expect(try await Judgement.query(on: app.db).filter(\.$level == 1).count() == 0, "nothing written by a refused import")
            let denials = try await AuditTrail.page(
                AuditTrail.Filter(action: "judgements.import", outcome: .denied), before: nil, on: app.db)
            #expect(denials.count == 2)
        }
    }

    @Test func theCommandShowsProgressAndRefusesLockedAssessments() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            try await startCycle(app, cast["lead_inspector"]!)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("grades-\(UUID()).csv")
            try Self.sheet().write(to: file, atomically: true, encoding: .utf8)
            let dry = try await app.run(["judgements", "import", "grades", file.path, "--dry-run", "--as", cast["inspector"]!.email])
            #expect(dry.contains("14 rows for 2 organisations: 14 created, 0 updated, 0 unchanged (dry run: nothing was changed)"))
            let output = try await app.run(["judgements", "import", "grades", file.path, "--as", cast["inspector"]!.email])
            #expect(output.contains("14 created"))
            // Finalise Kent's inspection, then importing into it is refused whole.
            let kent = try await Assessment.query(on: app.db).join(
                Organisation.self, on: \Assessment.$organisation.$id == \Organisation.$id
            )
            .filter(Organisation.self, \.$code == "kent").first()!
            kent.status = .final
            try await kent.save(on: app.db)
            try Self.sheet(level: 2).write(to: file, atomically: true, encoding: .utf8)
            await #expect(throws: JudgementImportPlanner.Invalid.self) {
                try await app.run(["judgements", "import", "grades", file.path, "--as", cast["inspector"]!.email])
            }
            #expect(try await Judgement.query(on: app.db).filter(\.$level == 2).count() == 0, "essex unchanged too")
        }
    }

    @Test func aFileIsWrittenInBatchesYetAllOrNothing() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            try await startCycle(app, cast["lead_inspector"]!)
            let cycle = try await CycleService.require(code: "grades", scope: .all, on: app.db)
            // What a spreadsheet may hold: quotes, commas, line breaks, backslashes, tabs, other scripts.
            let awkward = "He said \"no\", then\r\nleft \\ at once\t✓ ŵ"
            let quoted = "\"" + awkward.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            var text = "\u{FEFF}organisation,criterion,level,narrative\r\n"
            for organisation in ["kent", "essex"] {
                for code in Self.codes { text += "\(organisation),\(code),3,\(quoted)\r\n" }
            }
            // Small batches and pieces: rows are written while later ones are still being read.
            func load(_ text: String) async throws -> JudgementImport.Outcome {
                try await JudgementImport.run(
                    .bytes(Array(text.utf8)), cycle: cycle, kind: .inspection, dryRun: false,
                    writer: try await Reader.load(cast["inspector"]!.user, scheme: app.markingScheme, at: app.clock.now(), on: app.db),
                    caller: app.systemCaller, batchSize: 3, pieceSize: 17, on: app.db)
            }
            let outcome = try await load(text)
            #expect(outcome.created == 14 && outcome.organisations == 2)
            let stored = try await Judgement.query(on: app.db).all()
            #expect(stored.count == 14 && stored.allSatisfy { $0.narrative == awkward && $0.level == 3 && $0.version == 1 })

            // A bad row after several batches were written: nothing of the file stays.
            let bad = text.replacingOccurrences(of: ",3,", with: ",4,") + "kent,no-such,2\r\n"
            do {
                _ = try await load(bad)
                Issue.record("a bad file was imported")
            } catch let error as JudgementImportPlanner.Invalid {
                // Each row above spans two lines (the narrative has a line break).
                #expect(error.problems == [.init(line: 30, message: "criterion \"no-such\" is not in graded-judgement@2022.1")])
            }
            #expect(try await Judgement.query(on: app.db).filter(\.$level == 4).count() == 0)
            #expect(try await AssessmentHistory.query(on: app.db).count() == 2, "one line per assessment from the first file only")

            // Changed text is an update: the version moves on and each field changed has its line.
            let changed = try await load(
                text.replacingOccurrences(of: "kent,effectiveness-response,3,\(quoted)", with: "kent,effectiveness-response,3,Rewritten"))
            #expect(changed.updated == 1 && changed.unchanged == 13)
            let kent = try #require(try await Judgement.query(on: app.db).filter(\.$narrative == "Rewritten").first())
            #expect(kent.version == 2 && kent.criterionCode == "effectiveness-response")
            let lines = try await AssessmentHistory.query(on: app.db).filter(\.$field == "narrative").all()
            #expect(lines.count == 1 && lines.first?.oldValue == awkward && lines.first?.newValue == "Rewritten")

            // A file giving only some criteria: results still follow every judgement held.
            _ = try await load("organisation,criterion,level\nkent,effectiveness-prevention,1\nkent,legitimacy-fairness,1\n")
            let framework = try cycle.framework.framework()
            for assessment in try await Assessment.query(on: app.db).with(\.$judgements).all() {
                var levels: CriterionLevels = [:]
                for judgement in assessment.judgements { levels[judgement.criterionCode] = judgement.level }
                #expect(try assessment.areaLevels == framework.result(for: levels, tier: nil).areaLevels)
            }
            #expect(try await Judgement.query(on: app.db).filter(\.$level == 1).count() == 2)

            // A quoted field never closed is named with the line it starts on.
            do {
                _ = try await load("organisation,criterion,level,narrative\nkent,effectiveness-response,2,\"open\n")
                Issue.record("an unclosed quote was accepted")
            } catch let error as JudgementImportPlanner.Invalid {
                #expect(error.problems.map(\.description) == ["line 2: a quoted field is not closed before the end of the file"])
            }
        }
    }
}
