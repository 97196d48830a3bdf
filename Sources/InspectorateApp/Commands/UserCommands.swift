import Fluent
import InspectorateCore
import Vapor

/// `inspectorate user add | list | disable | reset-password`
struct UserCommands: AsyncCommandGroup {
    var help: String { "Manage user accounts" }
    var commands: [String: any AnyAsyncCommand] {
        ["add": Add(), "list": List(), "disable": Disable(), "reset-password": ResetPassword(), "vetting": SetVetting()]
    }

    struct Add: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "email", help: "E-mail address (the sign-in name)") var email: String?
            @Option(name: "name", help: "Display name") var name: String?
            @Option(name: "role", help: "administrator, inspector, lead_inspector, organisation_member, partner or analyst") var role:
                String?
            @Option(name: "organisation", help: "Home organisation code (required for organisation members and partners)") var organisation:
                String?
            @Option(name: "vetting", help: "Vetting level: none, bpss, ctc, sc or dv") var vetting: String?
            @Option(name: "vetting-granted", help: "Date vetting was granted, YYYY-MM-DD") var vettingGranted: String?
            @Option(name: "vetting-expires", help: "Date vetting expires, YYYY-MM-DD") var vettingExpires: String?
            @Option(name: "vetting-reference", help: "The vetting authority's reference for the grant (needed with a level above none)")
            var vettingReference: String?
            @Flag(name: "password-stdin", help: "Read the password from standard input instead of generating one") var passwordStdin: Bool
        }
        var help: String { "Add a user. Prints a generated password unless --password-stdin is given." }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            try await FirstStart.prepareDatabase(app)
            guard let rawRole = signature.role, let role = Role(rawValue: rawRole) else {
                throw FieldError("role", "give --role as one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var vettingLevel: VettingLevel?
            if let raw = signature.vetting {
                guard let level = VettingLevel(rawValue: raw) else { throw FieldError("vetting", "use one of none, bpss, ctc, sc, dv") }
                vettingLevel = level
            }
            let granted = try signature.vettingGranted.map {
                try DateInput.parse($0, field: "vetting-granted", zone: context.application.settings.timeZone)
            }
            let expires = try signature.vettingExpires.map {
                try DateInput.parse($0, field: "vetting-expires", zone: context.application.settings.timeZone)
            }
            let password = signature.passwordStdin ? context.readSecret(prompt: "Password: ") : nil
            if signature.passwordStdin && (password ?? "").isEmpty {
                throw FieldError("password", "no password was given on standard input")
            }
            let (user, generated) = try await UserService.create(
                UserChanges(
                    email: signature.email, displayName: signature.name, role: role, organisationCode: signature.organisation,
                    vettingLevel: vettingLevel, vettingGranted: .some(granted), vettingExpires: .some(expires),
                    vettingReference: signature.vettingReference),
                password: password, hasher: app.password.async, caller: app.commandLineCaller(), on: app.db)
            context.console.output("Added \(user.email) (\(role.displayName))")
            if let generated { context.console.output("password: \(generated)") }
        }

    }

    struct List: AsyncCommand {
        struct Signature: CommandSignature {}
        var help: String { "List user accounts" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            let now = context.application.clock.now()
            for user in try await UserService.list(on: context.application.db) {
                let columns = [
                    user.email, user.role.rawValue, user.organisation?.code ?? "-", user.active ? "active" : "disabled",
                    "vetting:\(user.vetting.effectiveLevel(at: now).rawValue)", user.displayName,
                ]
                context.console.output(columns.joined(separator: "\t").consoleText())
            }
        }
    }

    struct Disable: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "email", help: "The account to disable") var email: String
        }
        var help: String { "Disable an account: it can no longer sign in or use its API tokens" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let db = context.application.db
            try await FirstStart.prepareDatabase(context.application)
            guard let user = try await UserService.find(email: signature.email, on: db) else { throw DomainError.notFound("user") }
            _ = try await UserService.update(
                user, with: UserChanges(active: false), expectedVersion: user.version, caller: context.application.commandLineCaller(),
                on: db)
            context.console.output("Disabled \(user.email)")
        }
    }

    struct ResetPassword: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "email", help: "The account whose password to reset") var email: String
            @Flag(name: "password-stdin", help: "Read the new password from standard input instead of generating one") var passwordStdin:
                Bool
        }
        var help: String { "Set a new password, ending the account's sessions and revoking its API tokens" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            try await FirstStart.prepareDatabase(app)
            guard let user = try await UserService.find(email: signature.email, on: app.db) else { throw DomainError.notFound("user") }
            let given = signature.passwordStdin ? context.readSecret(prompt: "New password: ") : nil
            if signature.passwordStdin && (given ?? "").isEmpty { throw FieldError("password", "no password was given on standard input") }
            let password = given ?? PasswordGenerator.generate()
            try await UserService.setPassword(user, to: password, hasher: app.password.async, caller: app.commandLineCaller(), on: app.db)
            context.console.output("Password reset for \(user.email)")
            if given == nil { context.console.output("password: \(password)") }
        }
    }

    struct SetVetting: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "email", help: "The account whose vetting to record") var email: String
            @Option(name: "level", help: "none, bpss, ctc, sc or dv") var level: String?
            @Option(name: "granted", help: "Date granted, YYYY-MM-DD") var granted: String?
            @Option(name: "expires", help: "Date it expires, YYYY-MM-DD; from the start of that day the account reads as unvetted")
            var expires: String?
            @Option(name: "reference", help: "The vetting authority's reference for the grant (needed with a level above none)")
            var reference: String?
        }
        var help: String { "Record an account's security vetting (kept in the audit trail)" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let db = context.application.db
            try await FirstStart.prepareDatabase(context.application)
            guard let user = try await UserService.find(email: signature.email, on: db) else { throw DomainError.notFound("user") }
            guard let raw = signature.level, let level = VettingLevel(rawValue: raw.lowercased()) else {
                throw FieldError("level", "give --level as one of none, bpss, ctc, sc, dv")
            }
            let granted = try signature.granted.map {
                try DateInput.parse($0, field: "granted", zone: context.application.settings.timeZone)
            }
            let expires = try signature.expires.map {
                try DateInput.parse($0, field: "expires", zone: context.application.settings.timeZone)
            }
            let updated = try await UserService.update(
                user,
                with: UserChanges(
                    vettingLevel: level, vettingGranted: .some(granted), vettingExpires: .some(expires),
                    vettingReference: signature.reference),
                expectedVersion: user.version, caller: context.application.commandLineCaller(), on: db)
            context.console.output("\(updated.email): vetting \(UserService.describe(updated.vetting))".consoleText())
        }
    }
}
