import Vapor

/// Every setting the application reads, read in one place. Each has a documented default
/// (README, "Configuration"), so a fresh clone runs with none of them set.
public struct Settings: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(String)
    }

    /// `DATABASE_URL` (postgres://…) selects PostgreSQL; otherwise `INSPECTORATE_SQLITE_PATH`,
    /// default `./data/inspectorate.sqlite`.
    public var database: DatabaseChoice
    /// `INSPECTORATE_ADMIN_EMAIL` / `INSPECTORATE_ADMIN_PASSWORD`: the first administrator.
    public var adminEmail: String
    public var adminPassword: String?
    /// `INSPECTORATE_SECURE_COOKIES` (default false, as the default listens on plain HTTP
    /// on 127.0.0.1): set true behind TLS so cookies are only sent over HTTPS.
    public var secureCookies: Bool
    /// `INSPECTORATE_SESSION_HOURS` (default 12): a signed-in session lasts this long.
    public var sessionHours: Int
    /// `INSPECTORATE_TOKEN_DAYS` (default 90): the longest life an API token may have.
    public var maximumTokenDays: Int
    /// `INSPECTORATE_BCRYPT_COST` (default 12).
    public var bcryptCost: Int
    /// `INSPECTORATE_MAX_BODY` (default 1mb): larger request bodies get 413.
    public var maximumBodySize: String
    /// `INSPECTORATE_LOG_FORMAT` `text` (default) or `json`.
    public var logFormat: String
    /// `INSPECTORATE_DB_POOL` (default 4): PostgreSQL connections per event loop (one per
    /// core). SQLite always uses one connection per event loop.
    public var databasePoolPerEventLoop: Int
    /// `INSPECTORATE_MARKING_SCHEME` (default `gsc`): `gsc` (Government Security
    /// Classifications), `gpms-2009` (the 2009 Protective Marking Scheme), or the path of a
    /// scheme YAML file of the same shape.
    public var markingScheme: String
    /// `INSPECTORATE_MAX_UPLOAD_MB` (default 20): the largest file a document version may be.
    public var maximumUploadMB: Int
    /// `INSPECTORATE_CACHE_REFRESH_MS` (default 100): each instance keeps what every API
    /// request reads first (the token's owner, the organisation list) in memory; a change
    /// made through this instance takes effect at once, one made by another process or
    /// instance within this many milliseconds. `0` turns the cache off: every request
    /// reads the database.
    public var cacheRefreshMilliseconds: Int

    public init(
        database: DatabaseChoice,
        adminEmail: String = "admin@inspectorate.local",
        adminPassword: String? = nil,
        secureCookies: Bool = false,
        sessionHours: Int = 12,
        maximumTokenDays: Int = 90,
        bcryptCost: Int = 12,
        maximumBodySize: String = "1mb",
        logFormat: String = "text",
        databasePoolPerEventLoop: Int = 4,
        markingScheme: String = "gsc",
        maximumUploadMB: Int = 20,
        cacheRefreshMilliseconds: Int = 100
    ) {
        self.database = database
        self.adminEmail = adminEmail
        self.adminPassword = adminPassword
        self.secureCookies = secureCookies
        self.sessionHours = sessionHours
        self.maximumTokenDays = maximumTokenDays
        self.bcryptCost = bcryptCost
        self.maximumBodySize = maximumBodySize
        self.logFormat = logFormat
        self.databasePoolPerEventLoop = databasePoolPerEventLoop
        self.markingScheme = markingScheme
        self.maximumUploadMB = maximumUploadMB
        self.cacheRefreshMilliseconds = cacheRefreshMilliseconds
    }

    public static func fromEnvironment() -> Settings {
        let env = { (name: String) in Environment.get(name).flatMap { $0.isEmpty ? nil : $0 } }
        let database: DatabaseChoice
        if let url = env("DATABASE_URL") {
            database = .postgres(url)
        } else {
            database = .sqliteFile(env("INSPECTORATE_SQLITE_PATH") ?? "./data/inspectorate.sqlite")
        }
        return Settings(
            database: database,
            adminEmail: env("INSPECTORATE_ADMIN_EMAIL") ?? "admin@inspectorate.local",
            adminPassword: env("INSPECTORATE_ADMIN_PASSWORD"),
            secureCookies: ["1", "true", "yes"].contains(env("INSPECTORATE_SECURE_COOKIES")?.lowercased() ?? ""),
            sessionHours: env("INSPECTORATE_SESSION_HOURS").flatMap(Int.init) ?? 12,
            maximumTokenDays: env("INSPECTORATE_TOKEN_DAYS").flatMap(Int.init) ?? 90,
            bcryptCost: env("INSPECTORATE_BCRYPT_COST").flatMap(Int.init) ?? 12,
            maximumBodySize: env("INSPECTORATE_MAX_BODY") ?? "1mb",
            logFormat: env("INSPECTORATE_LOG_FORMAT") ?? "text",
            databasePoolPerEventLoop: env("INSPECTORATE_DB_POOL").flatMap(Int.init) ?? 4,
            markingScheme: env("INSPECTORATE_MARKING_SCHEME") ?? "gsc",
            maximumUploadMB: env("INSPECTORATE_MAX_UPLOAD_MB").flatMap(Int.init) ?? 20,
            cacheRefreshMilliseconds: env("INSPECTORATE_CACHE_REFRESH_MS").flatMap(Int.init) ?? 100
        )
    }
}

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = Settings }

    public var settings: Settings {
        get { storage[SettingsKey.self] ?? .fromEnvironment() }
        set { storage[SettingsKey.self] = newValue }
    }
}
