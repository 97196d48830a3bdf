import Fluent
import InspectorateCore
import Vapor

/// `inspectorate framework validate | import | list | export | diff`
struct FrameworkCommands: AsyncCommandGroup {
    var help: String { "Validate, import, list, export and compare capability frameworks" }
    var commands: [String: any AnyAsyncCommand] {
        ["validate": Validate(), "import": Import(), "list": List(), "export": Export(), "diff": Diff()]
    }

    static func read(_ path: String) throws -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw FieldError("file", "cannot read \(path): \(error.localizedDescription)")
        }
    }

    struct Validate: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "file", help: "Framework YAML file") var file: String
        }
        var help: String { "Check a framework document and report every problem with its place; exits non-zero if any" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let framework = try FrameworkDocument.parse(yaml: try FrameworkCommands.read(signature.file))
            context.console.output(
                "\(framework.reference) is valid: \(framework.areas.count) areas, \(framework.criteria.count) criteria, \(framework.scale.count) levels, \(framework.tiers.count) risk tiers"
                    .consoleText())
        }
    }

    struct Import: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "file", help: "Framework YAML file") var file: String
        }
        var help: String { "Import a framework version, all or nothing; a version never changes once imported" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            let (record, created) = try await FrameworkService.importDocument(
                try FrameworkCommands.read(signature.file), by: nil, caller: context.application.commandLineCaller(),
                on: context.application.db)
            context.console.output(
                (created ? "Imported \(record.reference)" : "\(record.reference) was already imported, unchanged").consoleText())
        }
    }

    struct List: AsyncCommand {
        struct Signature: CommandSignature {}
        var help: String { "List imported framework versions" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            context.console.output("reference\ttitle\tareas\tcriteria\tlevels")
            for record in try await FrameworkService.list(on: context.application.db) {
                let summary = try FrameworkSummaryDTO(record)
                context.console.output(
                    [
                        record.reference, record.title, String(summary.areas), String(summary.criteria),
                        summary.levels.joined(separator: "/"),
                    ]
                    .joined(separator: "\t").consoleText())
            }
        }
    }

    struct Export: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "reference", help: "CODE@VERSION, e.g. police-prevent@2009.1") var reference: String
        }
        var help: String { "Print a framework version as YAML" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            let record = try await FrameworkService.require(reference: signature.reference, on: context.application.db)
            context.console.output(try FrameworkDocument.yaml(try record.framework()).consoleText(), newLine: false)
        }
    }

    struct Diff: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "from", help: "CODE@VERSION or a YAML file") var from: String
            @Argument(name: "to", help: "CODE@VERSION or a YAML file") var to: String
        }
        var help: String { "Show areas and criteria added, removed and reworded, and requirements changed" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            func load(_ argument: String) async throws -> Framework {
                if FileManager.default.fileExists(atPath: argument) {
                    return try FrameworkDocument.parse(yaml: try FrameworkCommands.read(argument))
                }
                return try await FrameworkService.require(reference: argument, on: context.application.db).framework()
            }
            let old = try await load(signature.from)
            let new = try await load(signature.to)
            let changes = FrameworkDiff.compare(old, new)
            for change in changes { context.console.output(change.description.consoleText()) }
            context.console.output(
                "\(changes.count) change\(changes.count == 1 ? "" : "s") from \(old.reference) to \(new.reference)".consoleText())
        }
    }
}
