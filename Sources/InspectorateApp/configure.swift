import Fluent
import FluentSQLiteDriver
import InspectorateCore
import Leaf
import LeafKit
import Logging
import Metrics
import Vapor

/// Sets up the application: settings and clock, database, sessions, views, middleware,
/// routes and commands. The executable and the tests both call this; tests pass their own
/// settings and a clock set to the instant they need.
public func configure(_ app: Application, settings: Settings, clock: any WallClock = SystemClock()) async throws {
    app.settings = settings
    app.clock = clock
    app.writes = WriteCoordinator()
    _ = MetricsRegistry.shared

    try DatabaseSetup.use(settings, on: app)
    app.markingScheme = try MarkingSchemeLoader.load(settings.markingScheme)
    app.readCache = ReadCache(enabled: settings.cacheRefreshMilliseconds > 0, writes: app.writes)
    app.lifecycle.use(ReadCacheLifecycle())
    let loops = app.eventLoopGroup.makeIterator().reduce(0) { count, _ in count + 1 }
    let poolSize = if case .postgres = settings.database { settings.databasePoolPerEventLoop } else { 1 }
    Gauge(label: "inspectorate_database_pool_max_connections").record(poolSize * loops)
    Migrations.register(on: app)

    // Sessions live in the database so any app instance behind a proxy can serve any user.
    app.sessions.use { _ in SessionStore() }
    app.sessions.configuration = SessionsConfiguration(cookieName: "inspectorate-session") { id in
        // An empty id is a visitor's session, which is never stored: no cookie for it.
        if id.string.isEmpty { return .expired }
        return HTTPCookies.Value(
            string: id.string, expires: clock.now().addingTimeInterval(Double(settings.sessionHours) * 3600),
            maxAge: nil, domain: nil, path: "/", isSecure: settings.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
    }
    app.passwords.use(.bcrypt(cost: settings.bcryptCost))
    app.routes.defaultMaxBodySize = ByteCount(value: settings.limits.body)

    try Views.configure(app)

    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(SecurityHeaders())
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
public func bootstrapLogging(_ settings: Settings) {
    let level = settings.logLevel
    switch settings.logFormat {
    case .json:
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    case .text:
        // Plain text on standard error, metadata (the request id among it) on each line;
        // standard output stays for what commands print.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
