import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("Command line")
struct CommandTests {
    @Test func orgsImportReportsWhatItDidLineByLine() async throws {
        try await withApp { app in
            let output = try await app.run(["orgs", "import", FixtureFile.path(FixtureFile.headcount)])
            #expect(
                output.contains(
                    "line 23: skipped \"West Midlands\": region subtotal row (West Midlands): equals the sum of the 4 organisations that follow"
                ))
            #expect(output.contains("line 27: updated west-midlands from \"West Midlands\": officers_2019=6546"))
            #expect(output.contains("skipped \"Central Service Secondments\": not a known organisation"))
            #expect(output.contains("0 created, 44 updated, 11 skipped"))
            let dry = try await app.run(["orgs", "import", "--dry-run", FixtureFile.path(FixtureFile.population)])
            #expect(dry.contains("dry run: nothing was changed"))
        }
    }

    @Test func orgsImportRefusesAFileWithoutItsRequiredColumn() async throws {
        try await withApp { app in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).csv")
            try "force,headcount\nKent,1\n".write(to: file, atomically: true, encoding: .utf8)
            await #expect(throws: ImportError.self) { try await app.run(["orgs", "import", file.path]) }
        }
    }

    @Test func orgsAddAndList() async throws {
        try await withApp { app in
            let added = try await app.run(["orgs", "add", "--name", "Cardiff Council", "--region", "Wales"])
            #expect(added.contains("Registered cardiff-council"))
            let listed = try await app.run(["orgs", "list", "--region", "Wales"])
            #expect(listed.split(separator: "\n").count == 6, "header, four forces and the council")
            let duplicate = await #expect(throws: DomainError.self) { try await app.run(["orgs", "add", "--name", "Cardiff Council"]) }
            #expect(duplicate.map(CommandLineErrors.message(for:)) == "An organisation with the code cardiff-council already exists")
        }
    }

    @Test func userCommands() async throws {
        try await withApp { app in
            let added = try await app.run([
                "user", "add", "--email", "ops@example.org", "--name", "Ops", "--role", "analyst", "--vetting", "sc", "--vetting-granted",
                "2025-01-01", "--vetting-expires", "2035-01-01", "--vetting-reference", "UKSV-2025-0042",
            ])
            let password = try #require(added.components(separatedBy: "password: ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(password.count >= 20)
            let user = try #require(try await UserService.find(email: "ops@example.org", on: app.db))
            #expect(try await app.password.async.verify(password, created: user.passwordHash).get())
            #expect(user.vettingLevel == .sc)
            let listed = try await app.run(["user", "list"])
            #expect(listed.contains("ops@example.org\tanalyst\t-\tactive\tvetting:sc"))
            let reset = try await app.run(["user", "reset-password", "ops@example.org"])
            #expect(reset.contains("Password reset for ops@example.org"))
            _ = try await app.run(["user", "disable", "ops@example.org"])
            #expect(try await UserService.find(email: "ops@example.org", on: app.db)?.active == false)
            await #expect(throws: FieldError.self) {
                try await app.run(["user", "add", "--email", "x@example.org", "--name", "X", "--role", "king"])
            }
            await #expect(throws: ValidationErrors.self) {
                try await app.run(["user", "add", "--email", "y@example.org", "--name", "Y", "--role", "partner"])
            }
        }
    }
}
