import Fluent
import InspectorateCore
import Vapor

/// `inspectorate orgs list | import | add`
struct OrganisationCommands: AsyncCommandGroup {
    var help: String { "Manage organisations and their reference figures" }
    var commands: [String: any AnyAsyncCommand] {
        ["list": List(), "import": Import(), "add": Add()]
    }

    struct List: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "region", help: "Only this region") var region: String?
            @Option(name: "kind", help: "Only this kind: territorial_force, special_force, national_agency, partner_body") var kind: String?
            @Option(name: "sort", help: "name (default), code, kind, region, population or officers") var sort: String?
        }
        var help: String { "List organisations, tab-separated" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            let query = try OrganisationQuery(region: signature.region, kind: signature.kind, sort: signature.sort, order: nil)
            let organisations = try await OrganisationService.list(query, scope: .all, on: context.application.db)
            context.console.output("code\tname\tkind\tregion\tpopulation_2011\tofficers_2019")
            for o in organisations {
                let columns = [
                    o.code, o.name, o.kind.rawValue, o.region ?? "", o.population2011.map(String.init) ?? "",
                    o.officers2019.map(String.init) ?? "",
                ]
                context.console.output(columns.joined(separator: "\t").consoleText())
            }
        }
    }

    struct Import: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "file", help: "CSV file: our own layout, or the published population / workforce files as they are") var file:
                String
            @Flag(name: "dry-run", help: "Report what would change and change nothing") var dryRun: Bool
        }
        var help: String { "Add or update organisations and their figures from a CSV, all or nothing" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            let bytes = try CommandFiles.read(signature.file)
            let app = context.application
            let plan = try await OrganisationService.importCSV(bytes, dryRun: signature.dryRun, caller: app.commandLineCaller(), on: app.db)
            for line in plan.report { context.console.output(line.consoleText()) }
            if signature.dryRun { context.console.output("dry run: nothing was changed", style: .info) }
        }
    }

    struct Add: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "name", help: "Name, e.g. Birmingham City Council") var name: String?
            @Option(name: "code", help: "Short code; made from the name when omitted") var code: String?
            @Option(name: "region", help: "Region") var region: String?
            @Option(name: "country", help: "Country") var country: String?
        }
        var help: String { "Register a partner organisation (a council, a health trust, an agency)" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            let organisation = try await OrganisationService.createPartner(
                OrganisationChanges(code: signature.code, name: signature.name, region: signature.region, country: signature.country),
                caller: context.application.commandLineCaller(), on: context.application.db)
            context.console.output("Registered \(organisation.code) (\(organisation.name))")
        }
    }
}
