import Configuration
import Foundation
import InspectorateCore
import Logging

/// A setting's value that does not parse: the start stops with this message.
public struct SettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    public var variable: String
    public var message: String

    public var description: String { "\(variable): \(message)" }
}

/// Reads the settings, through apple/swift-configuration's environment provider, and
/// parses each one strictly: a value that does not parse is an error naming the variable
/// and what it accepts, never a quiet fallback to the default.
struct SettingsReader {
    /// One row of the README's configuration table: the variable, its default, what it does.
    struct Definition: Sendable {
        var variable: String
        var defaultValue: String
        var meaning: String
    }

    /// Every variable read, in the README's order. A test holds the README's table to this.
    static let definitions: [Definition] = [
        .init(
            variable: "DATABASE_URL", defaultValue: "unset",
            meaning: "`postgres://user:pass@host:port/db`; when set, PostgreSQL is used instead of SQLite"),
        .init(
            variable: "INSPECTORATE_SQLITE_PATH", defaultValue: "./data/inspectorate.sqlite",
            meaning: "the SQLite file (created with its folder)"),
        .init(
            variable: "INSPECTORATE_ADMIN_EMAIL", defaultValue: "admin@inspectorate.local",
            meaning: "the first administrator, created when there is none"),
        .init(variable: "INSPECTORATE_ADMIN_PASSWORD", defaultValue: "generated and printed once", meaning: "their password"),
        .init(
            variable: "INSPECTORATE_SECURE_COOKIES", defaultValue: "false",
            meaning: "`true` behind HTTPS so cookies are sent over TLS only (`true`, `false`, `1`, `0`, `yes`, `no`)"),
        .init(variable: "INSPECTORATE_SESSION_HOURS", defaultValue: "12", meaning: "how long a sign-in lasts (1–720)"),
        .init(variable: "INSPECTORATE_TOKEN_DAYS", defaultValue: "90", meaning: "the longest life of an API token (1–3650)"),
        .init(variable: "INSPECTORATE_BCRYPT_COST", defaultValue: "12", meaning: "bcrypt work factor (4–31)"),
        .init(
            variable: "INSPECTORATE_MAX_BODY", defaultValue: "1mb",
            meaning: "larger form and JSON bodies get 413 (a size like `64kb`, `1mb`)"),
        .init(
            variable: "INSPECTORATE_MAX_UPLOAD_MB", defaultValue: "20",
            meaning: "the largest document or evidence file, in megabytes (1–1024)"),
        .init(
            variable: "INSPECTORATE_MAX_IMPORT_MB", defaultValue: "64",
            meaning: "the largest bulk import file sent to the API, in megabytes (1–4096)"),
        .init(
            variable: "INSPECTORATE_DB_POOL", defaultValue: "4", meaning: "PostgreSQL connections per event loop, one loop per core (1–100)"
        ),
        .init(variable: "INSPECTORATE_LOG_FORMAT", defaultValue: "text", meaning: "`text` or `json` (one object per line)"),
        .init(variable: "LOG_LEVEL", defaultValue: "info", meaning: "`trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`"),
        .init(
            variable: "INSPECTORATE_MARKING_SCHEME", defaultValue: "gsc",
            meaning:
                "`gsc`, `gpms-2009`, or the path of a scheme YAML file of the same shape (see `Sources/InspectorateApp/Resources/Markings/`)"
        ),
        .init(
            variable: "INSPECTORATE_CACHE_REFRESH_MS", defaultValue: "100",
            meaning:
                "each instance keeps API tokens with their owners and organisation lists in memory; a change made through the instance takes effect at once, one made by the command line or another instance within this many milliseconds (expiry dates are always checked against the clock); `0` turns the cache off (0–60000)"
        ),
        .init(
            variable: "INSPECTORATE_TIME_ZONE", defaultValue: "Europe/London",
            meaning:
                "the zone in which a date without a time (a vetting expiry, a deadline) is a day, and in which times are shown; an IANA zone name"
        ),
        .init(
            variable: "INSPECTORATE_METRICS_TOKEN", defaultValue: "unset",
            meaning:
                "when set (16 or more characters), `/metrics` serves Prometheus metrics to `Authorization: Bearer` this token; unset, `/metrics` is not served"
        ),
    ]

    let config: ConfigReader

    init(environment: [String: String]) {
        config = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
    }

    func read() throws -> Settings {
        let database: Settings.DatabaseChoice =
            if let url = text("DATABASE_URL") {
                .postgres(try postgresURL(url))
            } else {
                .sqliteFile(text("INSPECTORATE_SQLITE_PATH") ?? "./data/inspectorate.sqlite")
            }
        let adminEmail = try text("INSPECTORATE_ADMIN_EMAIL").map { raw in
            let email = EmailAddress.normalise(raw)
            guard EmailAddress.isPlausible(email) else {
                throw SettingsError(variable: "INSPECTORATE_ADMIN_EMAIL", message: "\"\(raw)\" is not an e-mail address")
            }
            return email
        }
        return Settings(
            database: database,
            adminEmail: adminEmail ?? "admin@inspectorate.local",
            adminPassword: text("INSPECTORATE_ADMIN_PASSWORD"),
            secureCookies: try flag("INSPECTORATE_SECURE_COOKIES", default: false),
            sessionHours: try integer("INSPECTORATE_SESSION_HOURS", default: 12, in: 1...720),
            maximumTokenDays: try integer("INSPECTORATE_TOKEN_DAYS", default: 90, in: 1...3650),
            bcryptCost: try integer("INSPECTORATE_BCRYPT_COST", default: 12, in: 4...31),
            limits: Settings.Limits(
                body: try byteCount("INSPECTORATE_MAX_BODY", default: 1 << 20),
                uploadFile: try integer("INSPECTORATE_MAX_UPLOAD_MB", default: 20, in: 1...1024) << 20,
                bulkImport: try integer("INSPECTORATE_MAX_IMPORT_MB", default: 64, in: 1...4096) << 20),
            logFormat: try choice("INSPECTORATE_LOG_FORMAT", default: .text),
            logLevel: try choice("LOG_LEVEL", default: .info),
            databasePoolPerEventLoop: try integer("INSPECTORATE_DB_POOL", default: 4, in: 1...100),
            markingScheme: text("INSPECTORATE_MARKING_SCHEME") ?? "gsc",
            cacheRefreshMilliseconds: try integer("INSPECTORATE_CACHE_REFRESH_MS", default: 100, in: 0...60_000),
            timeZone: try zone("INSPECTORATE_TIME_ZONE", default: "Europe/London"),
            metricsToken: try metricsToken())
    }

    private func metricsToken() throws -> String? {
        guard let token = text("INSPECTORATE_METRICS_TOKEN") else { return nil }
        guard token.count >= 16 else {
            throw SettingsError(variable: "INSPECTORATE_METRICS_TOKEN", message: "use at least 16 characters, so it cannot be guessed")
        }
        return token
    }

    /// The variable's text, or nil when unset or empty.
    private func text(_ variable: String) -> String? {
        let key = ConfigKey(variable.lowercased().split(separator: "_").map(String.init))
        guard let value = config.string(forKey: key), !value.isEmpty else { return nil }
        return value
    }

    private func integer(_ variable: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let raw = text(variable) else { return value }
        guard let number = Int(raw.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            throw SettingsError(
                variable: variable, message: "\"\(raw)\" is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    private func flag(_ variable: String, default value: Bool) throws -> Bool {
        guard let raw = text(variable) else { return value }
        switch raw.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw SettingsError(variable: variable, message: "\"\(raw)\" is not true or false (accepted: true, false, 1, 0, yes, no)")
        }
    }

    private func choice<Value: RawRepresentable & CaseIterable>(_ variable: String, default value: Value) throws -> Value
    where Value.RawValue == String {
        guard let raw = text(variable) else { return value }
        guard let chosen = Value(rawValue: raw.lowercased()) else {
            throw SettingsError(
                variable: variable, message: "\"\(raw)\" is not one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return chosen
    }

    /// `64kb`, `1mb`, `2gb` or a number of bytes.
    private func byteCount(_ variable: String, default value: Int) throws -> Int {
        guard let raw = text(variable) else { return value }
        let lowered = raw.lowercased().trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [("gb", 1 << 30), ("mb", 1 << 20), ("kb", 1 << 10), ("b", 1)]
        let (digits, multiplier) =
            units.first { lowered.hasSuffix($0.0) }.map { (String(lowered.dropLast($0.0.count)), $0.1) } ?? (lowered, 1)
        guard let number = Int(digits), number > 0, number <= (4 << 30) / multiplier else {
            throw SettingsError(variable: variable, message: "\"\(raw)\" is not a size like 64kb, 1mb or 2gb (at most 4gb)")
        }
        return number * multiplier
    }

    private func zone(_ variable: String, default name: String) throws -> TimeZone {
        let raw = text(variable) ?? name
        guard let zone = TimeZone(identifier: raw) else {
            throw SettingsError(variable: variable, message: "\"\(raw)\" is not a time zone name like Europe/London")
        }
        return zone
    }

    private func postgresURL(_ raw: String) throws -> String {
        guard let components = URLComponents(string: raw), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            components.host != nil
        else {
            throw SettingsError(variable: "DATABASE_URL", message: "is not a URL like postgres://user:password@host:5432/database")
        }
        return raw
    }
}
