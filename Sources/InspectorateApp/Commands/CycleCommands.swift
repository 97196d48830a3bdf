import Fluent
import InspectorateCore
import Vapor

/// `inspectorate cycle list | create | carry-forward`
struct CycleCommands: AsyncCommandGroup {
    var help: String { "Inspection cycles" }
    var commands: [String: any AnyAsyncCommand] { ["list": List(), "create": Create(), "carry-forward": Carry()] }

    struct List: AsyncCommand {
        struct Signature: CommandSignature {}
        var help: String { "List inspection cycles" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            context.console.output("code\tframework\tself_assessment_due\tpublication\torganisations\ttitle")
            for cycle in try await CycleService.list(scope: .all, on: context.application.db) {
                let count = try await CycleOrganisation.query(on: context.application.db).filter(\.$cycle.$id == cycle.requireID()).count()
                context.console.output(
                    [cycle.code, cycle.framework.reference, cycle.selfAssessmentDue, cycle.publication, String(count), cycle.title]
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
            guard let kind = AssessmentKind(rawValue: signature.assessment ?? "inspection") else {
                throw FieldError("assessment", "use inspection or self")
            }
            let report = try await CarryForward.run(
                into: try await CycleService.require(code: signature.cycle, scope: .all, on: db), kind: kind, by: nil,
                caller: context.application.commandLineCaller(), on: db)
            for change in report.frameworkChanges {
                context.console.output("framework: \(change.kind) \(change.path) \(change.detail)".consoleText())
            }
            for line in report.organisations {
                var text = "\(line.organisation): \(line.copied) judgements carried forward"
                if !line.skipped.isEmpty { text += "; not carried (not in the new framework): \(line.skipped.joined(separator: ", "))" }
                if let note = line.note { text = "\(line.organisation): \(note)" }
                context.console.output(text.consoleText())
            }
        }
    }
}

extension CycleCommands {
    struct Create: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "code", help: "Cycle code, like prevent-2010") var code: String?
            @Option(name: "title", help: "Title") var title: String?
            @Option(name: "framework", help: "CODE@VERSION of an imported framework") var framework: String?
            @Option(name: "self-assessment-due", help: "YYYY-MM-DD") var selfAssessmentDue: String?
            @Option(name: "fieldwork-start", help: "YYYY-MM-DD") var fieldworkStart: String?
            @Option(name: "fieldwork-end", help: "YYYY-MM-DD") var fieldworkEnd: String?
            @Option(name: "moderation-due", help: "YYYY-MM-DD") var moderationDue: String?
            @Option(name: "publication", help: "YYYY-MM-DD") var publication: String?
            @Option(name: "organisations", help: "Codes in scope, comma-separated; every force and agency when omitted") var organisations:
                String?
            @Option(name: "previous", help: "Code of the cycle this one follows") var previous: String?
            @Option(
                name: "kind",
                help:
                    "Instead of --organisations: every organisation of this kind (territorial_force, special_force, national_agency, partner_body)"
            ) var kind: String?
        }
        var help: String { "Start an inspection cycle" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            let codes = signature.organisations.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            var kind: OrganisationKind?
            if let raw = signature.kind {
                guard let parsed = OrganisationKind(rawValue: raw) else {
                    throw FieldError("kind", "use one of \(OrganisationKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kind = parsed
            }
            let cycle = try await CycleService.create(
                CycleInput(
                    code: signature.code, title: signature.title, framework: signature.framework,
                    selfAssessmentDue: signature.selfAssessmentDue,
                    fieldworkStart: signature.fieldworkStart, fieldworkEnd: signature.fieldworkEnd, moderationDue: signature.moderationDue,
                    publication: signature.publication, organisations: codes, previous: signature.previous, kind: kind),
                caller: context.application.commandLineCaller(), on: context.application.db)
            let count = try await CycleOrganisation.query(on: context.application.db).filter(\.$cycle.$id == cycle.requireID()).count()
            context.console.output("Started \(cycle.code) with \(count) organisations".consoleText())
        }
    }
}
