import Fluent
import InspectorateCore
import Vapor

/// What a fresh database needs before anyone can use it: the schema, the reference
/// organisations and frameworks, and an administrator. Safe to run on every start.
enum FirstStart {
    static func prepareDatabase(_ app: Application) async throws {
        try await app.autoMigrate()
        try await DatabaseSetup.prepareFile(app)
        if try await Organisation.query(on: app.db).count() == 0 {
            let plan = try await OrganisationService.importCSV(try referenceOrganisationsCSV(), caller: app.systemCaller, on: app.db)
            app.logger.info("Loaded \(plan.creations.count) reference organisations")
        }
        for record in try await FrameworkService.importShipped(caller: app.systemCaller, on: app.db) {
            app.logger.info("Imported the shipped framework \(record.reference)")
        }
    }

    static func referenceOrganisationsCSV() throws -> [UInt8] {
        guard let url = Bundle.module.resourceURL?.appendingPathComponent("Data/organisations.csv") else {
            throw ConfigurationProblem("the reference organisations file is missing from the application's bundle")
        }
        return Array(try Data(contentsOf: url))
    }

    /// Creates the first administrator when there is none, and says once how to sign in.
    static func ensureAdministrator(_ app: Application, console: any Console) async throws {
        guard try await User.query(on: app.db).filter(\.$role == .administrator).count() == 0 else { return }
        let settings = app.settings
        let (user, generated) = try await UserService.create(
            UserChanges(email: settings.adminEmail, displayName: "Administrator", role: .administrator),
            password: settings.adminPassword, hasher: app.password.async, caller: app.systemCaller, on: app.db)
        console.output("Created the first administrator account.", style: .info)
        console.output("  e-mail:   \(user.email)")
        if let generated {
            console.output("  password: \(generated)")
            console.output("  This password is shown once. Sign in and change it under 'My account'.", style: .warning)
        } else {
            console.output("  password: as set in INSPECTORATE_ADMIN_PASSWORD")
        }
    }
}
