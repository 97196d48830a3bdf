import Vapor
import Fluent
import InspectorateCore

/// `inspectorate cycle list | carry-forward`
struct CycleCommands: AsyncCommandGroup {
    var help: String { "Inspection cycles" }
    var commands: [String: any AnyAsyncCommand] { ["list": List(), "carry-forward": Carry()] }

    struct List: AsyncCommand {
        struct Signature: CommandSignature {}
        var help: String { "List inspection cycles" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            context.console.output("code\tframework\tself_assessment_due\tpublication\torganisations\ttitle")
            for cycle in try await CycleService.list(scope: .all, on: context.application.db) {
                let count = try await CycleOrganisation.query(on: context.application.db).filter(\.$cycle.$id == cycle.requireID()).count()
                context.console.output([cycle.code, cycle.framework.reference, cycle.selfAssessmentDue, cycle.publication, String(count), cycle.title]
                    .joined(separator: "\t").consoleText())
            }
        }
    }

    struct Carry: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "cycle", help: "The cycle to start; it must follow an earlier cycle") var cycle: String
            @Option(name: "assessment", help: "inspection (default) or self") var assessment: String?
        }
        var help: String { "Start each organisation's assessment from its final one in the previous cycle, and report what differs" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let db = context.application.db
            try await FirstStart.prepareDatabase(context.application)
            guard let kind = AssessmentKind(rawValue: signature.assessment ?? "inspection") else { throw FieldError("assessment", "use inspection or self") }
            let report = try await CarryForward.run(into: try await CycleService.require(code: signature.cycle, scope: .all, on: db), kind: kind, by: nil, on: db)
            for change in report.frameworkChanges { context.console.output("framework: \(change.kind) \(change.path) \(change.detail)".consoleText()) }
            for line in report.organisations {
                var text = "\(line.organisation): \(line.copied) judgements carried forward"
                if !line.skipped.isEmpty { text += "; not carried (not in the new framework): \(line.skipped.joined(separator: ", "))" }
                if let note = line.note { text = "\(line.organisation): \(note)" }
                context.console.output(text.consoleText())
            }
        }
    }
}
