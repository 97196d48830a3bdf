import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("Bad input gets a clear 4xx and changes nothing")
struct BadInputTests {
    func send(
        _ app: Application, _ user: TestUser, _ method: HTTPMethod, _ path: String, raw: String,
        contentType: String = "application/json"
    ) async throws -> TestingHTTPResponse {
        var headers = user.bearer
        headers.replaceOrAdd(name: .contentType, value: contentType)
        return try await app.testing().sendRequest(method, path, headers: headers, body: ByteBuffer(string: raw))
    }

    @Test func malformedJSONIs400() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            for raw in ["{", "[1,2]", "\"text\"", "", "{\"name\": }"] {
                let response = try await send(app, admin, .POST, "/api/v1/organisations", raw: raw)
                #expect(response.status == .badRequest, "\(raw)")
                #expect(response.errorCode == "malformed_json")
            }
        }
    }

    @Test func missingWrongAndUnknownFieldsAre422NamingTheField() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            let cases: [(String, String, String)] = [
                ("/api/v1/organisations", #"{"region": "Wales"}"#, "name"),
                ("/api/v1/organisations", #"{"name": 42}"#, "name"),
                ("/api/v1/organisations", #"{"name": "Cardiff Council", "colour": "red"}"#, "colour"),
                ("/api/v1/organisations", #"{"name": "Cardiff Council", "region": "Atlantis"}"#, "region"),
                ("/api/v1/organisations", #"{"name": "Cardiff Council", "code": "Not A Code"}"#, "code"),
                ("/api/v1/organisations", #"{"name": "Cardiff Council", "population_2011": -5}"#, "population_2011"),
                ("/api/v1/organisations", #"{"name": "   "}"#, "name"),
                ("/api/v1/users", #"{"email": "x@example.org", "display_name": "X", "role": "emperor"}"#, "role"),
                ("/api/v1/users", #"{"email": "not-an-address", "display_name": "X", "role": "analyst"}"#, "email"),
                ("/api/v1/users", #"{"email": "p@example.org", "display_name": "P", "role": "partner"}"#, "organisation"),
                ("/api/v1/users", #"{"email": "q@example.org", "display_name": "Q", "role": "analyst", "password": "short"}"#, "password"),
                (
                    "/api/v1/users", #"{"email": "r@example.org", "display_name": "R", "role": "analyst", "password": "password1234"}"#,
                    "password"
                ),
                (
                    "/api/v1/users",
                    #"{"email": "s@example.org", "display_name": "S", "role": "analyst", "vetting_level": "sc", "vetting_granted": "2026-13-45"}"#,
                    "vetting_granted"
                ),
                (
                    "/api/v1/users", #"{"email": "t@example.org", "display_name": "T", "role": "analyst", "vetting_level": "sc"}"#,
                    "vetting_granted"
                ),
                (
                    "/api/v1/users", #"{"email": "u@example.org", "display_name": "U", "role": "analyst", "organisation": "atlantis"}"#,
                    "organisation"
                ),
                ("/api/v1/tokens", #"{"email": "x@example.org"}"#, "password"),
            ]
            for (path, raw, field) in cases {
                let response = try await send(app, admin, .POST, path, raw: raw)
                #expect(response.status == .unprocessableEntity, "\(raw): \(response.text)")
                #expect(response.errorField == field, "\(raw): \(response.text)")
            }
            #expect(try await Organisation.query(on: app.db).count() == 46, "nothing was created")
            #expect(try await User.query(on: app.db).count() == 1)
        }
    }

    @Test func duplicatesAre409() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            let first = try await send(app, admin, .POST, "/api/v1/organisations", raw: #"{"name": "Leeds City Council"}"#)
            #expect(first.status == .created)
            #expect(first.object["code"] as? String == "leeds-city-council")
            let again = try await send(app, admin, .POST, "/api/v1/organisations", raw: #"{"name": "Leeds City Council"}"#)
            #expect(again.status == .conflict)
            #expect(again.errorField == "code")
            let force = try await send(app, admin, .POST, "/api/v1/organisations", raw: #"{"name": "Another", "code": "metropolitan"}"#)
            #expect(force.status == .conflict)
            let user = try await send(
                app, admin, .POST, "/api/v1/users",
                raw: #"{"email": "\#(admin.email.uppercased())", "display_name": "Dup", "role": "analyst"}"#)
            #expect(user.status == .conflict)
            #expect(user.errorField == "email")
        }
    }

    @Test func oversizedBodiesAre413() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            let huge = #"{"name": ""# + String(repeating: "x", count: 200_000) + #""}"#
            // Body limits apply while a real server streams the body in.
            let server = try app.testing(method: .running(port: Int.random(in: 20_000..<40_000)))
            var headers = admin.bearer
            headers.contentType = .json
            let response = try await server.sendRequest(.POST, "/api/v1/organisations", headers: headers, body: ByteBuffer(string: huge))
            #expect(response.status == .payloadTooLarge)
            #expect(response.errorCode == "payload_too_large")
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            let response = try await send(
                app, admin, .POST, "/api/v1/organisations", raw: "name=x", contentType: "application/x-www-form-urlencoded")
            #expect(response.status == .unsupportedMediaType)
        }
    }

    @Test func unknownThingsAre404InJSON() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            for path in ["/api/v1/organisations/atlantis", "/api/v1/users/\(UUID())", "/api/v1/users/not-a-uuid", "/api/v1/nothing-here"] {
                let response = try await app.testing().sendRequest(.GET, path, headers: admin.bearer)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.errorCode == "not_found", "\(path)")
            }
            let badFilter = try await app.testing().sendRequest(.GET, "/api/v1/organisations?kind=castle", headers: admin.bearer)
            #expect(badFilter.status == .unprocessableEntity)
            #expect(badFilter.errorField == "kind")
        }
    }

    @Test func staleVersionIs409WithTheCurrentRecordAndNothingIsLost() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            let loaded = try await app.testing().sendRequest(.GET, "/api/v1/organisations/gwent", headers: admin.bearer)
            let version = loaded.object["version"] as! Int
            let first = try await send(
                app, admin, .PATCH, "/api/v1/organisations/gwent", raw: #"{"officers_2019": 1400, "version": \#(version)}"#)
            #expect(first.status == .ok)
            #expect(first.object["version"] as? Int == version + 1)
            let second = try await send(
                app, admin, .PATCH, "/api/v1/organisations/gwent", raw: #"{"country": "Cymru", "version": \#(version)}"#)
            #expect(second.status == .conflict)
            #expect(second.errorCode == "stale_version")
            let current = (second.object["error"] as? [String: Any])?["current"] as? [String: Any]
            #expect(current?["officers_2019"] as? Int == 1400)
            let now = try await Organisation.query(on: app.db).filter(\.$code == "gwent").first()!
            #expect(now.officers2019 == 1400 && now.country == "Wales", "the first change kept, the stale one refused")
        }
    }

    @Test func concurrentEditsNeverLoseAnUpdate() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            let version = try await Organisation.query(on: app.db).filter(\.$code == "kent").first()!.version
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        var headers = admin.bearer
                        headers.contentType = .json
                        return try await app.testing().sendRequest(
                            .PATCH, "/api/v1/organisations/kent", headers: headers,
                            body: ByteBuffer(string: #"{"officers_2019": \#(4000 + index), "version": \#(version)}"#)
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 7)
            #expect(try await Organisation.query(on: app.db).filter(\.$code == "kent").first()!.version == version + 1)
        }
    }

    @Test func webFormsShowAnErrorSummaryLinkedToTheField() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            var session = WebSession(app: app)
            _ = try await session.signIn(admin.email, admin.password)
            let response = try await session.post(
                "/organisations", form: ["name": "", "population_2011": "lots"], from: "/organisations/new")
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains(#"class="error-summary""#))
            #expect(response.text.contains(##"href="#name""##))
            #expect(response.text.contains(##"href="#population_2011""##))
            #expect(response.text.contains(#"id="name""#))
            #expect(try await Organisation.query(on: app.db).count() == 46)
        }
    }
}

@Suite("Methods a path does not have")
struct MethodNotAllowedTests {
    @Test func answer405WithAllow() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            let response = try await app.testing().sendRequest(.DELETE, "/api/v1/organisations/kent", headers: admin.bearer)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers.first(name: .allow) == "GET, PATCH")
            #expect(response.errorCode == "method_not_allowed")
            let page = try await app.testing().sendRequest(.PUT, "/organisations")
            #expect(page.status == .methodNotAllowed)
            let unknown = try await app.testing().sendRequest(.DELETE, "/api/v1/nowhere", headers: admin.bearer)
            #expect(unknown.status == .notFound)
        }
    }
}
