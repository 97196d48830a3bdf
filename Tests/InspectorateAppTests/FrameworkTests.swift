import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("Frameworks")
struct FrameworkTests {
    static func yamlHeaders(_ user: TestUser) -> HTTPHeaders {
        var headers = user.bearer
        headers.replaceOrAdd(name: .contentType, value: "application/yaml")
        return headers
    }

    static func prevent(_ app: Application) async throws -> String {
        try await FrameworkService.require(code: "police-prevent", version: "2009.1", on: app.db).document
    }

    @Test func theShippedFrameworksAreLoadedOnFirstStart() async throws {
        try await withApp { app in
            let references = try await FrameworkService.list(on: app.db).map(\.reference).sorted()
            #expect(references == ["graded-judgement@2022.1", "police-prevent@2009.1"])
            try await FirstStart.prepareDatabase(app)
            #expect(try await FrameworkService.list(on: app.db).count == 2, "starting again imports nothing twice")
        }
    }

    @Test func everyoneSignedInReadsFrameworksAndOnlyAdministratorsImport() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            let document = try await Self.prevent(app)
            for (actor, user) in cast {
                for path in [
                    "/api/v1/frameworks", "/api/v1/frameworks/police-prevent/2009.1", "/api/v1/frameworks/police-prevent/2009.1/export",
                    "/api/v1/frameworks/diff?from=police-prevent@2009.1&to=police-prevent@2009.1",
                ] {
                    let response = try await app.testing().sendRequest(.GET, path, headers: user.bearer)
                    #expect(response.status == .ok, "\(actor) GET \(path)")
                }
                for path in ["/api/v1/frameworks", "/api/v1/frameworks/validate"] {
                    let response = try await app.testing().sendRequest(
                        .POST, path, headers: Self.yamlHeaders(user), body: ByteBuffer(string: document))
                    #expect(response.status == (actor == "administrator" ? .ok : .notFound), "\(actor) POST \(path)")
                }
            }
            for path in [
                "/api/v1/frameworks", "/api/v1/frameworks/police-prevent/2009.1", "/api/v1/frameworks/police-prevent/2009.1/export",
                "/api/v1/frameworks/diff",
            ] {
                #expect(try await app.testing().sendRequest(.GET, path).status == .unauthorized)
            }
            #expect(
                try await app.testing().sendRequest(
                    .POST, "/api/v1/frameworks/validate", headers: ["Content-Type": "application/yaml"], body: ByteBuffer(string: document)
                ).status == .unauthorized)
        }
    }

    @Test func aVersionNeverChangesAndANewVersionIsANewImport() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            let exported = try await app.testing().sendRequest(
                .GET, "/api/v1/frameworks/police-prevent/2009.1/export", headers: admin.bearer)
            #expect(exported.headers.first(name: .contentType)?.hasPrefix("application/yaml") == true)
            let again = try await app.testing().sendRequest(
                .POST, "/api/v1/frameworks", headers: Self.yamlHeaders(admin), body: exported.body)
            #expect(again.status == .ok, "the exported document is the same framework")
            let changed = exported.text.replacingOccurrences(
                of: "Leadership and governance", with: "Leadership, governance and programme management")
            let refused = try await app.testing().sendRequest(
                .POST, "/api/v1/frameworks", headers: Self.yamlHeaders(admin), body: ByteBuffer(string: changed))
            #expect(refused.status == .conflict)
            #expect(refused.errorField == "version")
            let newVersion = changed.replacingOccurrences(of: "version: '2009.1'", with: "version: '2010.1'")
                .replacingOccurrences(of: "version: \"2009.1\"", with: "version: \"2010.1\"").replacingOccurrences(
                    of: "version: 2009.1", with: "version: '2010.1'")
            let created = try await app.testing().sendRequest(
                .POST, "/api/v1/frameworks", headers: Self.yamlHeaders(admin), body: ByteBuffer(string: newVersion))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.object["reference"] as? String == "police-prevent@2010.1")
            let diff = try await app.testing().sendRequest(
                .GET, "/api/v1/frameworks/diff?from=police-prevent@2009.1&to=police-prevent@2010.1", headers: admin.bearer)
            let changes = diff.object["changes"] as? [[String: Any]] ?? []
            #expect(changes.count == 1)
            #expect(changes.first?["kind"] as? String == "reworded" && changes.first?["path"] as? String == "area leadership")
            let original = try await FrameworkService.require(reference: "police-prevent@2009.1", on: app.db).framework()
            #expect(original.area("leadership")?.title == "Leadership and governance")
        }
    }

    @Test func anInvalidDocumentListsEveryProblemAndImportsNothing() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            let broken = try await Self.prevent(app)
                .replacingOccurrences(of: "version: \"2009.1\"", with: "version: \"2011.1\"")
                .replacingOccurrences(of: "          4: Findings are shared nationally and change practice.\n", with: "")
                .replacingOccurrences(of: "rollup: lowest", with: "rollup: median")
            for path in ["/api/v1/frameworks", "/api/v1/frameworks/validate"] {
                let response = try await app.testing().sendRequest(
                    .POST, path, headers: Self.yamlHeaders(admin), body: ByteBuffer(string: broken))
                #expect(response.status == .unprocessableEntity)
                #expect(response.errorCode == "invalid_framework")
                let problems = (response.object["error"] as? [String: Any])?["problems"] as? [String] ?? []
                #expect(problems.contains("areas[8].criteria[1].levels: level 4 missing"), "\(problems)")
                #expect(problems.contains { $0.hasPrefix("rollup: \"median\"") })
            }
            #expect(try await FrameworkService.list(on: app.db).count == 2)
            let wrongType = try await app.testing().sendRequest(
                .POST, "/api/v1/frameworks", headers: .bearer(admin, json: true), body: ByteBuffer(string: "{}"))
            #expect(wrongType.status == .unsupportedMediaType)
            let unknown = try await app.testing().sendRequest(.GET, "/api/v1/frameworks/police-prevent/1999", headers: admin.bearer)
            #expect(unknown.status == .notFound)
            let badReference = try await app.testing().sendRequest(
                .GET, "/api/v1/frameworks/diff?from=nonsense&to=police-prevent@2009.1", headers: admin.bearer)
            #expect(badReference.status == .unprocessableEntity && badReference.errorField == "framework")
        }
    }

    @Test func pagesAndTheUploadPreviewImportFlow() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            for (actor, user) in cast {
                var session = WebSession(app: app)
                _ = try await session.signIn(user.email, user.password)
                #expect(try await session.get("/frameworks").status == .ok, "\(actor)")
                let page = try await session.get("/frameworks/police-prevent/2009.1")
                #expect(
                    page.status == .ok && page.text.contains("Tier 1 (highest risk)") && page.text.contains("3 Established"), "\(actor)")
                #expect(
                    try await session.get("/frameworks/diff?from=police-prevent@2009.1&to=graded-judgement@2022.1").status == .ok,
                    "\(actor)")
                #expect(try await session.get("/frameworks/upload").status == (actor == "administrator" ? .ok : .notFound), "\(actor)")
                let posted = try await session.post("/frameworks/upload", form: ["document": "code: x"], from: "/frameworks")
                #expect(posted.status == (actor == "administrator" ? .unprocessableEntity : .notFound), "\(actor)")
                let imported = try await session.post("/frameworks", form: ["document": "code: x"], from: "/frameworks")
                #expect(imported.status == (actor == "administrator" ? .unprocessableEntity : .notFound), "\(actor)")
            }
            var admin = WebSession(app: app)
            _ = try await admin.signIn(cast["administrator"]!.email, testPassword)
            let document = try await Self.prevent(app).replacingOccurrences(of: "version: \"2009.1\"", with: "version: \"2012.1\"")
            let preview = try await admin.post("/frameworks/upload", form: ["document": document], from: "/frameworks/upload")
            #expect(preview.status == .ok && preview.text.contains("The document is valid"))
            #expect(
                try await FrameworkService.find(code: "police-prevent", version: "2012.1", on: app.db) == nil, "a preview imports nothing")
            let imported = try await admin.post("/frameworks", form: ["document": document], from: "/frameworks/upload")
            #expect(imported.status == .seeOther && imported.headers.first(name: .location) == "/frameworks/police-prevent/2012.1")
            let invalid = try await admin.post("/frameworks/upload", form: ["document": "code: x"], from: "/frameworks/upload")
            #expect(invalid.text.contains("version: missing") && invalid.text.contains(#"class="error-summary""#))
            #expect(try await admin.get("/frameworks/nope/1").status == .notFound)
        }
    }

    @Test func frameworkCommands() async throws {
        try await withApp { app in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("framework-\(UUID()).yaml")
            let exported = try await app.run(["framework", "export", "graded-judgement@2022.1"])
            #expect(exported.contains("code: graded-judgement"))
            try exported.replacingOccurrences(of: "2022.1", with: "2024.1")
                .replacingOccurrences(of: "name: Enhanced monitoring", with: "name: Engage")
                .write(to: file, atomically: true, encoding: .utf8)
            let valid = try await app.run(["framework", "validate", file.path])
            #expect(valid.contains("graded-judgement@2024.1 is valid: 3 areas, 7 criteria, 5 levels, 2 risk tiers"))
            let diff = try await app.run(["framework", "diff", "graded-judgement@2022.1", file.path])
            #expect(diff.contains("1 change from graded-judgement@2022.1 to graded-judgement@2024.1"))
            #expect(try await app.run(["framework", "import", file.path]).contains("Imported graded-judgement@2024.1"))
            #expect(try await app.run(["framework", "import", file.path]).contains("already imported, unchanged"))
            #expect(try await app.run(["framework", "list"]).contains("graded-judgement@2024.1"))
            try "code: broken\n".write(to: file, atomically: true, encoding: .utf8)
            await #expect(throws: FrameworkInvalid.self) { try await app.run(["framework", "validate", file.path]) }
            let missing = await #expect(throws: DomainError.self) { try await app.run(["framework", "export", "nothing@1"]) }
            #expect(missing.map(CommandLineErrors.message(for:)) == "No framework was found with that identifier")
        }
    }
}
