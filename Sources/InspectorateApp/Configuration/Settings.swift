import Foundation
import InspectorateCore
import Logging

/// Every setting the application reads. They are read in one place (`SettingsReader`),
/// each with a documented default (README, "Configuration"), so a fresh clone runs with
/// none set; a value that does not parse stops the start with a message naming it.
public struct Settings: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(String)
    }

    public enum LogFormat: String, Sendable, CaseIterable {
        case text, json
    }

    /// Request and file size limits, in bytes.
    public struct Limits: Sendable, Equatable {
        /// Forms and JSON bodies (`INSPECTORATE_MAX_BODY`).
        public var body: Int
        /// One uploaded document or evidence file (`INSPECTORATE_MAX_UPLOAD_MB`).
        public var uploadFile: Int
        /// A bulk import file sent to the API (`INSPECTORATE_MAX_IMPORT_MB`).
        public var bulkImport: Int

        /// A multipart upload: the file and the few form fields around it.
        public var upload: Int { uploadFile + 64 * 1024 }

        public init(body: Int = 1 << 20, uploadFile: Int = 20 << 20, bulkImport: Int = 64 << 20) {
            self.body = body
            self.uploadFile = uploadFile
            self.bulkImport = bulkImport
        }
    }

    /// `DATABASE_URL` (postgres://…) selects PostgreSQL; otherwise `INSPECTORATE_SQLITE_PATH`.
    public var database: DatabaseChoice
    /// The first administrator, created when there is none.
    public var adminEmail: String
    public var adminPassword: String?
    /// Cookies only over HTTPS (set behind TLS).
    public var secureCookies: Bool
    /// How long a sign-in lasts, in hours.
    public var sessionHours: Int
    /// The longest life of an API token, in days.
    public var maximumTokenDays: Int
    /// bcrypt work factor.
    public var bcryptCost: Int
    public var limits: Limits
    public var logFormat: LogFormat
    public var logLevel: Logger.Level
    /// PostgreSQL connections per event loop (one loop per core).
    public var databasePoolPerEventLoop: Int
    /// `gsc`, `gpms-2009`, or the path of a scheme YAML file.
    public var markingScheme: String
    /// How soon, in milliseconds, this instance notices writes made elsewhere; 0 turns the
    /// read cache off.
    public var cacheRefreshMilliseconds: Int
    /// The zone in which dates without a time are days (`INSPECTORATE_TIME_ZONE`).
    public var timeZone: TimeZone
    /// The bearer token `/metrics` asks for (`INSPECTORATE_METRICS_TOKEN`); without one the
    /// metrics are not served at all.
    public var metricsToken: String?

    public init(
        database: DatabaseChoice,
        adminEmail: String = "admin@inspectorate.local",
        adminPassword: String? = nil,
        secureCookies: Bool = false,
        sessionHours: Int = 12,
        maximumTokenDays: Int = 90,
        bcryptCost: Int = 12,
        limits: Limits = Limits(),
        logFormat: LogFormat = .text,
        logLevel: Logger.Level = .info,
        databasePoolPerEventLoop: Int = 4,
        markingScheme: String = "gsc",
        cacheRefreshMilliseconds: Int = 100,
        timeZone: TimeZone = TimeZone(identifier: "Europe/London") ?? .utc,
        metricsToken: String? = nil
    ) {
        self.database = database
        self.adminEmail = adminEmail
        self.adminPassword = adminPassword
        self.secureCookies = secureCookies
        self.sessionHours = sessionHours
        self.maximumTokenDays = maximumTokenDays
        self.bcryptCost = bcryptCost
        self.limits = limits
        self.logFormat = logFormat
        self.logLevel = logLevel
        self.databasePoolPerEventLoop = databasePoolPerEventLoop
        self.markingScheme = markingScheme
        self.cacheRefreshMilliseconds = cacheRefreshMilliseconds
        self.timeZone = timeZone
        self.metricsToken = metricsToken
    }

    /// The settings from the process's environment variables.
    /// - Throws: `SettingsError` naming the first variable whose value does not parse.
    public static func fromEnvironment() throws -> Settings {
        try SettingsReader(environment: ProcessInfo.processInfo.environment).read()
    }
}
