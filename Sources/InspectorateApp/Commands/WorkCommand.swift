import InspectorateCore
import Vapor

/// `inspectorate work --as EMAIL`: what is due from that person across open cycles, as
/// their home page lists it (tab-separated, earliest due first).
struct WorkCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "as", help: "E-mail of the person whose work to list") var actingAs: String?
    }
    var help: String { "List what is due from a person in open cycles: assessments to complete, moderate or finalise, tiers to set" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await FirstStart.prepareDatabase(app)
        let (user, _) = try await app.commandLineCaller(as: signature.actingAs)
        let items = try await MyWorkService.items(for: try user.principal, on: app.db)
        context.console.output("due\twork\tcycle\torganisation\tassessment\tlink")
        for item in items {
            context.console.output(
                [
                    item.due, item.kind.rawValue, item.cycleCode, item.organisationCode, item.assessment?.rawValue ?? "",
                    MyWorkService.link(of: item),
                ]
                .joined(separator: "\t").consoleText())
        }
    }
}
