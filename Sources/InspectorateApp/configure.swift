import Vapor
import Fluent
import FluentSQLiteDriver
import Leaf
import LeafKit
import Logging
import Metrics
import InspectorateCore

/// Sets up the application: database, sessions, views, middleware, routes and commands.
/// The caller sets `app.settings` first when it wants anything but the environment's.
public func configure(_ app: Application) async throws {
    let settings = app.settings
    app.settings = settings
    _ = MetricsRegistry.shared

    try DatabaseSetup.use(settings, on: app)
    try app.loadMarkingScheme()
    app.readCache = ReadCache(enabled: settings.cacheRefreshMilliseconds > 0)
    app.lifecycle.use(ReadCacheLifecycle())
    let poolSize: Int
    if case .postgres = settings.database { poolSize = settings.databasePoolPerEventLoop } else { poolSize = 1 }
    Gauge(label: "inspectorate_database_pool_max_connections").record(poolSize * app.eventLoopGroup.makeIterator().reduce(0) { n, _ in n + 1 })
    app.migrations.add(CreateOrganisations())
    app.migrations.add(CreateUsers())
    app.migrations.add(CreateAPITokens())
    app.migrations.add(CreateLoginFailures())
    app.migrations.add(SessionRecord.migration)
    app.migrations.add(CreateFrameworks())
    app.migrations.add(CreateCycles())
    app.migrations.add(CreateRiskTierChanges())
    app.migrations.add(CreateAssessments())
    app.migrations.add(AddPreviousCycle())
    app.migrations.add(CreateAuditTrail())
    app.migrations.add(CreateGroups())
    app.migrations.add(CreateSharedItems())
    app.migrations.add(AddRationaleDescriptors())
    app.migrations.add(CreateEvidenceFiles())
    app.migrations.add(AddNarrativeMarking())
    app.migrations.add(AddPictureSummaries())
    app.migrations.add(AddOrganisationNameIndex())
    app.migrations.add(RekeyJudgements())

    // Sessions live in the database so any app instance behind a proxy can serve any user.
    app.sessions.use(.fluent)
    app.sessions.configuration = SessionsConfiguration(cookieName: "inspectorate-session") { id in
        HTTPCookies.Value(string: id.string, expires: Date().addingTimeInterval(Double(settings.sessionHours) * 3600),
                          maxAge: nil, domain: nil, path: "/", isSecure: settings.secureCookies,
                          isHTTPOnly: true, sameSite: .lax)
    }
    app.passwords.use(.bcrypt(cost: settings.bcryptCost))
    app.routes.defaultMaxBodySize = ByteCount(stringLiteral: settings.maximumBodySize)

    // Views and static files ship inside the module's bundle, so the binary finds them
    // whatever directory it is started from.
    let resources = Bundle.module.resourceURL!
    app.directory.viewsDirectory = resources.appendingPathComponent("Views").path + "/"
    app.directory.publicDirectory = resources.appendingPathComponent("Public").path + "/"
    app.views.use(.leaf)
    // Leaf refuses paths with hidden folders by default, and `swift build` puts the
    // bundle under `.build/`: keep the sandbox, drop that one limit.
    app.leaf.sources = .singleSource(NIOLeafFiles(
        fileio: app.fileio, limits: [.toSandbox, .requireExtensions],
        sandboxDirectory: app.directory.viewsDirectory, viewDirectory: app.directory.viewsDirectory))

    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(AccessLogMiddleware())
    // Global so that error pages know who is signed in; it touches the database only
    // when a request carries a session cookie, which API clients do not.
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(ErrorResponder())
    app.middleware.use(PublicFiles(directory: app.directory.publicDirectory))

    try routes(app)
    Commands.register(on: app)
}

/// Chooses the log output before anything logs: plain text for people, JSON for shippers.
public func bootstrapLogging(environment: inout Environment) throws {
    let settings = Settings.fromEnvironment()
    if settings.logFormat == "json" {
        let level = Logger.Level(rawValue: Environment.get("LOG_LEVEL") ?? "info") ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    } else {
        // Plain text on standard error, metadata (the request id among it) on each line;
        // standard output stays for what commands print.
        let level = try Logger.Level(rawValue: Environment.get("LOG_LEVEL") ?? "info")
            ?? { throw FieldError("LOG_LEVEL", "use trace, debug, info, notice, warning, error or critical") }()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
