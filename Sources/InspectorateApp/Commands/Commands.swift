import Vapor

enum Commands {
    static func register(on app: Application) {
        if let vaporServe = app.asyncCommands.commands["serve"] {
            app.asyncCommands.use(ServeCommand(inner: vaporServe), as: "serve", isDefault: true)
        }
        app.asyncCommands.use(UserCommands(), as: "user")
        app.asyncCommands.use(OrganisationCommands(), as: "orgs")
        app.asyncCommands.use(FrameworkCommands(), as: "framework")
        app.asyncCommands.use(JudgementCommands(), as: "judgements")
        app.asyncCommands.use(CycleCommands(), as: "cycle")
        app.asyncCommands.use(AuditCommands(), as: "audit")
        app.asyncCommands.use(GroupCommands(), as: "group")
        app.asyncCommands.use(MarkingsCommand(), as: "markings")
        app.asyncCommands.use(GenerateCommand(), as: "generate")
        app.asyncCommands.use(WorkCommand(), as: "work")
    }
}

/// `inspectorate serve`: Vapor's server, after bringing the database up to date and making
/// sure there is someone who can sign in.
struct ServeCommand: AnyAsyncCommand {
    let inner: any AnyAsyncCommand

    var help: String {
        "Applies migrations, loads reference data on first start, then serves HTTP (default 127.0.0.1:8080). --demo also loads a demonstration 2009 cycle with fictitious judgements."
    }

    func run(using context: inout CommandContext) async throws {
        let app = context.application
        let demo = context.input.arguments.contains("--demo")
        // Vapor's own serve command does not know --demo.
        context.input.arguments.removeAll { $0 == "--demo" }
        try await FirstStart.prepareDatabase(app)
        try await FirstStart.ensureAdministrator(app, console: context.console)
        if demo { try await DemoData.load(app) }
        // Writes by the command line or other instances reach this instance's cache.
        app.readCache.startRefreshing(app)
        try await inner.run(using: &context)
    }

    func outputHelp(using context: inout CommandContext) throws {
        context.console.output(help.consoleText())
        try inner.outputHelp(using: &context)
    }
}

extension CommandContext {
    /// Reads one line from standard input, for passwords that must not appear in the
    /// process list or shell history.
    func readSecret(prompt: String) -> String? {
        if isatty(STDIN_FILENO) == 1 {
            return console.ask(prompt.consoleText(), isSecure: true)
        }
        return readLine(strippingNewline: true)
    }
}
