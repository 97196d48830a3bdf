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
            @Option(name: "as", help: "E-mail of the account importing: its role, organisation and vetting decide what it may change")
            var actingAs: String?
            @Option(name: "reason", help: "Why, for changes to submitted or moderated assessments (a reason column may give one per row)")
            var reason: String?
            @Flag(name: "dry-run", help: "Check every row and report; change nothing") var dryRun: Bool
        }
        var help: String { "Import judgements from a spreadsheet, one row per organisation and criterion, all or nothing" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            try await FirstStart.prepareDatabase(app)
            guard let kind = AssessmentKind(rawValue: signature.assessment ?? "inspection") else {
                throw FieldError("assessment", "use inspection or self")
            }
            let (user, caller) = try await app.commandLineCaller(as: signature.actingAs)
            let reader = try await Reader.load(user, scheme: app.markingScheme, at: caller.now, on: app.db)
            let cycle = try await CycleService.require(
                code: signature.cycle, scope: AccessRule.organisationScope(for: try user.principal), on: app.db)
            guard FileManager.default.isReadableFile(atPath: signature.file) else {
                throw FieldError("file", "cannot read \(signature.file)")
            }
            let bar = context.console.progressBar(title: signature.dryRun ? "Checking" : "Importing")
            bar.start()
            do {
                let outcome = try await JudgementImport.run(
                    .file(signature.file), cycle: cycle, kind: kind, dryRun: signature.dryRun, writer: reader, reason: signature.reason,
                    caller: caller, progress: { bar.activity.currentProgress = $0 }, on: app.db)
                bar.succeed()
                let counts = "\(outcome.created) created, \(outcome.updated) updated, \(outcome.unchanged) unchanged"
                context.console.output(
                    "\(outcome.rows) rows for \(outcome.organisations) organisations: \(counts)\(outcome.dryRun ? " (dry run: nothing was changed)" : "")"
                        .consoleText())
                if outcome.incompleteAssessments > 0 {
                    context.console.output(
                        "\(outcome.incompleteAssessments) of them cannot yet be submitted: every criterion needs a level, a narrative and a rationale"
                            .consoleText(.warning))
                    for entry in outcome.incomplete {
                        context.console.output(
                            "  \(entry.organisation): \(entry.incomplete) incomplete, e.g. \(entry.criteria.joined(separator: ", "))"
                                .consoleText())
                    }
                }
            } catch {
                bar.fail()
                throw error
            }
        }
    }
}
