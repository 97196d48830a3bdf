import Foundation
import InspectorateCore
import Testing

@testable import InspectorateApp

/// Settings are read in one place, each value parsed strictly: a value that does not parse
/// stops the start with a message naming the variable and what it accepts.
@Suite("Settings")
struct SettingsTests {
    func read(_ environment: [String: String]) throws -> Settings {
        try SettingsReader(environment: environment).read()
    }

    @Test func nothingSetGivesTheDocumentedDefaults() throws {
        let settings = try read([:])
        #expect(settings.database == .sqliteFile("./data/inspectorate.sqlite"))
        #expect(settings.adminEmail == "admin@inspectorate.local" && settings.adminPassword == nil)
        #expect(
            settings.secureCookies == false && settings.sessionHours == 12 && settings.maximumTokenDays == 90 && settings.bcryptCost == 12)
        #expect(settings.limits == Settings.Limits(body: 1 << 20, uploadFile: 20 << 20, bulkImport: 64 << 20))
        #expect(settings.logFormat == .text && settings.logLevel == .info && settings.databasePoolPerEventLoop == 4)
        #expect(settings.markingScheme == "gsc" && settings.cacheRefreshMilliseconds == 100)
        #expect(settings.timeZone.identifier == "Europe/London")
    }

    @Test func valuesAreReadAsWritten() throws {
        let settings = try read([
            "DATABASE_URL": "postgres://u:p@db:5432/inspectorate", "INSPECTORATE_SECURE_COOKIES": "yes", "INSPECTORATE_BCRYPT_COST": "10",
            "INSPECTORATE_MAX_BODY": "64kb", "INSPECTORATE_MAX_UPLOAD_MB": "5", "INSPECTORATE_LOG_FORMAT": "JSON", "LOG_LEVEL": "debug",
            "INSPECTORATE_ADMIN_EMAIL": " Zoé.Ellis@Example.ORG ", "INSPECTORATE_TIME_ZONE": "Europe/Paris",
        ])
        #expect(settings.database == .postgres("postgres://u:p@db:5432/inspectorate"))
        #expect(
            settings.secureCookies && settings.bcryptCost == 10 && settings.limits.body == 65_536 && settings.limits.uploadFile == 5 << 20)
        #expect(settings.logFormat == .json && settings.logLevel == .debug)
        #expect(settings.adminEmail == "zoé.ellis@example.org")
        #expect(settings.timeZone.identifier == "Europe/Paris")
    }

    @Test(arguments: [
        ("INSPECTORATE_BCRYPT_COST", "abc", "INSPECTORATE_BCRYPT_COST: \"abc\" is not a whole number from 4 to 31"),
        ("INSPECTORATE_BCRYPT_COST", "3", "INSPECTORATE_BCRYPT_COST: \"3\" is not a whole number from 4 to 31"),
        (
            "INSPECTORATE_SECURE_COOKIES", "on",
            "INSPECTORATE_SECURE_COOKIES: \"on\" is not true or false (accepted: true, false, 1, 0, yes, no)"
        ),
        ("INSPECTORATE_MAX_BODY", "lots", "INSPECTORATE_MAX_BODY: \"lots\" is not a size like 64kb, 1mb or 2gb (at most 4gb)"),
        ("INSPECTORATE_LOG_FORMAT", "xml", "INSPECTORATE_LOG_FORMAT: \"xml\" is not one of text, json"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL: \"loud\" is not one of trace, debug, info, notice, warning, error, critical"),
        ("INSPECTORATE_TIME_ZONE", "Mars/Olympus", "INSPECTORATE_TIME_ZONE: \"Mars/Olympus\" is not a time zone name like Europe/London"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL: is not a URL like postgres://user:password@host:5432/database"),
        ("INSPECTORATE_ADMIN_EMAIL", "nobody", "INSPECTORATE_ADMIN_EMAIL: \"nobody\" is not an e-mail address"),
    ])
    func aValueThatDoesNotParseStopsTheStartNamingIt(variable: String, value: String, message: String) throws {
        let error = #expect(throws: SettingsError.self) { try read([variable: value]) }
        #expect(error?.description == message)
        #expect(error.map(CommandLineErrors.message(for:)) == message, "the command line says it as it is")
    }

    /// The README's configuration table is the settings' own list: every variable read is
    /// there, with its default, and nothing else is.
    @Test func theReadmeTableIsTheSettingsList() throws {
        let readme = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| `") }.map(String.init)
        let documented = rows.compactMap { $0.split(separator: "`").dropFirst().first.map(String.init) }
        #expect(documented == SettingsReader.definitions.map(\.variable))
        for definition in SettingsReader.definitions {
            #expect(
                rows.contains {
                    $0.hasPrefix(
                        "| `\(definition.variable)` | \(definition.defaultValue.hasPrefix("generated") || definition.defaultValue == "unset" ? definition.defaultValue : "`\(definition.defaultValue)`") |"
                    )
                },
                "\(definition.variable) and its default")
        }
    }
}
