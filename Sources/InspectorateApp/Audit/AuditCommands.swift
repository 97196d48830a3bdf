import InspectorateCore
import Vapor

/// `inspectorate audit verify | checkpoint`
struct AuditCommands: AsyncCommandGroup {
    var help: String { "Check the tamper-evident audit trail" }
    var commands: [String: any AnyAsyncCommand] { ["verify": Verify(), "checkpoint": Checkpoint()] }

    struct Verify: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "checkpoint", help: "COUNT:HASH as printed by `audit checkpoint` earlier, kept outside the database")
            var checkpoint: String?
        }
        var help: String { "Walk the audit chain; report the first altered, missing or reordered entry and exit 1" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            try await FirstStart.prepareDatabase(app)
            var checkpoint: AuditCheckpoint?
            if let raw = signature.checkpoint {
                guard let parsed = AuditCheckpoint(raw) else {
                    throw FieldError("checkpoint", "\"\(raw)\" is not COUNT:HASH as `inspectorate audit checkpoint` prints it")
                }
                checkpoint = parsed
            }
            let progress = context.console.progressBar(title: "Verifying the audit trail")
            progress.start()
            let total = max(1, try await AuditTrail.checkpoint(on: app.db).count)
            let result = try await AuditTrail.verify(checkpoint: checkpoint, on: app.db) { done in
                progress.activity.currentProgress = Double(done) / Double(total)
            }
            if let problem = result.problem {
                progress.fail()
                throw FieldError("audit", "broken at entry \(problem.seq): \(problem)")
            }
            progress.succeed()
            context.console.output("\(result.count) entries verified; head \(result.count):\(result.head)".consoleText())
            if let checkpoint { context.console.output("Matches the checkpoint at entry \(checkpoint.count).".consoleText()) }
        }
    }

    struct Checkpoint: AsyncCommand {
        struct Signature: CommandSignature {}
        var help: String { "Print COUNT:HASH of the newest entry, to keep outside the database for `audit verify --checkpoint`" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            context.console.output(try await AuditTrail.checkpoint(on: context.application.db).description.consoleText())
        }
    }
}
