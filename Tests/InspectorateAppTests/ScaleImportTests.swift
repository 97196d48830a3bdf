import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

/// The bulk paths at small scale: generate, load with the commands an operator would use,
/// and check what was stored. The timing at full scale is in docs/benchmarks.md.
@Suite("Synthetic data and bulk import")
struct ScaleImportTests {
    @Test func generatedDataLoadsThroughTheCommands() async throws {
        try await withApp { app in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            _ = try await app.run(["generate", "--organisations", "40", "--criteria", "15", "--seed", "5", "--out", folder.path])
            _ = try await app.run(["framework", "import", folder.appendingPathComponent("framework.yaml").path])
            _ = try await app.run(["orgs", "import", folder.appendingPathComponent("organisations.csv").path])
            #expect(try await Organisation.query(on: app.db).filter(\.$kind == .partnerBody).count() == 40)
            let started = try await app.run([
                "cycle", "create", "--code", "synthetic", "--title", "Synthetic", "--framework", "synthetic-15@1",
                "--kind", "partner_body", "--self-assessment-due", "2010-01-31", "--fieldwork-start", "2010-02-01",
                "--fieldwork-end", "2010-02-28", "--moderation-due", "2010-03-15", "--publication", "2010-03-31",
            ])
            #expect(started.contains("with 40 organisations"))
            let file = folder.appendingPathComponent("judgements.csv").path
            let inspector = try await app.makeUser(.inspector, vetting: .sc)
            let imported = try await app.run(["judgements", "import", "synthetic", file, "--as", inspector.email])
            #expect(imported.contains("600 rows for 40 organisations: 600 created"), "\(imported)")
            #expect(try await Judgement.query(on: app.db).count() == 600)
            // One history line per assessment holds every value it gained: who, when, what.
            let lines = try await AssessmentHistory.query(on: app.db).all()
            #expect(lines.count == 40)
            let stored = try await Judgement.query(on: app.db).all()
            for line in lines {
                let values = stored.filter { $0.id?.$assessment.id == line.$assessment.id }.sorted { $0.criterionCode < $1.criterionCode }
                    .map { "\($0.criterionCode)=\($0.level!)" }.joined(separator: ", ")
                #expect(line.field == "judgements" && line.oldValue == nil && line.newValue == values)
                #expect(line.reason?.hasPrefix("import, lines ") == true)
                #expect(line.$changedBy.id == inspector.user.id, "history names who imported")
            }

            // Results were computed from the rows and stored with each assessment.
            let cycle = try await CycleService.require(code: "synthetic", scope: .all, on: app.db)
            let framework = try cycle.framework.framework()
            for assessment in try await Assessment.query(on: app.db).with(\.$judgements).all() {
                var levels: CriterionLevels = [:]
                for judgement in assessment.judgements { levels[judgement.criterionCode] = judgement.level }
                let expected = framework.result(for: levels, tier: nil)
                #expect(try assessment.areaLevels == expected.areaLevels)
                #expect(assessment.overallStage == expected.overallStage)
            }
            // Importing the same file again changes nothing; a changed row is an update with history.
            let again = try await app.run(["judgements", "import", "synthetic", file, "--as", inspector.email])
            #expect(again.contains("0 created, 0 updated, 600 unchanged"), "\(again)")
            #expect(try await AssessmentHistory.query(on: app.db).count() == 40)
            var text = try String(contentsOfFile: file, encoding: .utf8)
            let first = text.split(separator: "\n")[1]
            let changed = first.hasSuffix(",1") ? first.dropLast() + "2" : first.dropLast() + "1"
            text = text.replacingOccurrences(of: String(first), with: String(changed))
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            _ = try await app.run(["judgements", "import", "synthetic", file, "--as", inspector.email])
            let history = try await AssessmentHistory.query(on: app.db).filter(\.$field == "level").all()
            #expect(history.count == 1)
            #expect(history.first?.oldValue == String(first.last!) && history.first?.newValue == String(changed.last!))
            #expect(history.first?.reason == "import, line 2")
            #expect(try await AuditTrail.verify(checkpoint: nil, on: app.db).problem == nil)
        }
    }
}
