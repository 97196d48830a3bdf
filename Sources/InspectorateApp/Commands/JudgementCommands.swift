import Fluent
import InspectorateCore
import Vapor

/// `inspectorate judgements import CYCLE FILE`
struct JudgementCommands: AsyncCommandGroup {
    var help: String { "Bulk work on judgements" }
    var commands: [String: any AnyAsyncCommand] { ["import": Import()] }

    struct Import: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "cycle", help: "Cycle code") var cycle: String
            @Argument(name: "file", help: "CSV with columns organisation, criterion, level and optionally narrative, rationale") var file:
                String
            @Option(name: "assessment", help: "inspection (default) or self") var assessment: String?
            @Flag(name: "dry-run", help: "Check every row and report; change nothing") var dryRun: Bool
        }
        var help: String { "Import judgements from a spreadsheet, one row per organisation and criterion, all or nothing" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            try await FirstStart.prepareDatabase(app)
            guard let kind = AssessmentKind(rawValue: signature.assessment ?? "inspection") else {
                throw FieldError("assessment", "use inspection or self")
            }
            let cycle = try await CycleService.require(code: signature.cycle, scope: .all, on: app.db)
            guard FileManager.default.isReadableFile(atPath: signature.file) else {
                throw FieldError("file", "cannot read \(signature.file)")
            }
            let bar = context.console.progressBar(title: signature.dryRun ? "Checking" : "Importing")
            bar.start()
            do {
                let outcome = try await JudgementImport.run(
                    .file(signature.file), cycle: cycle, kind: kind, dryRun: signature.dryRun, by: nil, caller: app.commandLineCaller(),
                    progress: { bar.activity.currentProgress = $0 },
                    on: app.db)
                bar.succeed()
                context.console.output(
                    "\(outcome.rows) rows for \(outcome.organisations) organisations: \(outcome.created) created, \(outcome.updated) updated, \(outcome.unchanged) unchanged\(outcome.dryRun ? " (dry run: nothing was changed)" : "")"
                        .consoleText())
            } catch {
                bar.fail()
                throw error
            }
        }
    }
}
