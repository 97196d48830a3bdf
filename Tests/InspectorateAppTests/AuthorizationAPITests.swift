import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

/// Every API route, tried by every role: what each may do, and 404 (not 403) where a
/// record must stay invisible.
@Suite("Authorization: API, per role")
struct AuthorizationAPITests {
    static let staff = ["administrator", "inspector", "lead_inspector", "analyst"]
    static let scoped = ["organisation_member", "partner"]
    static let everyone = staff + scoped

    func check(
        _ app: Application, _ cast: [String: TestUser], _ method: HTTPMethod, _ path: String,
        body: (() -> [String: Any])? = nil, expect: [String: HTTPStatus], anonymous: HTTPStatus = .unauthorized,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let anon = try await app.testing().sendRequest(
            method, path, headers: body == nil ? [:] : ["Content-Type": "application/json"],
            body: body.map { json($0()) })
        #expect(anon.status == anonymous, "anonymous \(method) \(path)", sourceLocation: sourceLocation)
        for (actor, status) in expect.sorted(by: { $0.key < $1.key }) {
            let response = try await app.testing().sendRequest(
                method, path, headers: .bearer(cast[actor]!, json: body != nil),
                body: body.map { json($0()) })
            #expect(response.status == status, "\(actor) \(method) \(path): \(response.text)", sourceLocation: sourceLocation)
        }
    }

    static func all(_ status: HTTPStatus, _ actors: [String] = everyone) -> [String: HTTPStatus] {
        Dictionary(uniqueKeysWithValues: actors.map { ($0, status) })
    }

    @Test func readingOrganisations() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            try await check(app, cast, .GET, "/api/v1/me", expect: Self.all(.ok))
            try await check(app, cast, .GET, "/api/v1/organisations", expect: Self.all(.ok))
            try await check(app, cast, .GET, "/api/v1/organisations/west-midlands", expect: Self.all(.ok))
            try await check(
                app, cast, .GET, "/api/v1/organisations/metropolitan",
                expect: Self.all(.ok, Self.staff).merging(Self.all(.notFound, Self.scoped)) { $1 })
        }
    }

    @Test func membersListOnlyTheirOwnOrganisation() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            for actor in Self.scoped + ["member-of-metropolitan"] {
                let response = try await app.testing().sendRequest(.GET, "/api/v1/organisations", headers: .bearer(cast[actor]!))
                let codes = (response.object["organisations"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
                #expect(codes == [actor == "member-of-metropolitan" ? "metropolitan" : "west-midlands"])
                #expect(response.object["count"] as? Int == 1)
            }
            let inspector = try await app.testing().sendRequest(.GET, "/api/v1/organisations", headers: .bearer(cast["inspector"]!))
            #expect(inspector.object["count"] as? Int == 46)
        }
    }

    @Test func registeringPartners() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            var counter = 0
            try await check(
                app, cast, .POST, "/api/v1/organisations",
                body: {
                    counter += 1
                    return ["name": "Partner Council \(counter)"]
                },
                expect: Self.all(.created, ["administrator", "inspector", "lead_inspector"])
                    .merging(Self.all(.notFound, ["analyst"] + Self.scoped)) { $1 })
        }
    }

    @Test func editingOrganisations() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            let partner = try await OrganisationService.createPartner(
                OrganisationChanges(name: "Sandwell Council"), caller: app.commandLineCaller(), on: app.db)
            func version(_ code: String) async throws -> Int {
                try await Organisation.query(on: app.db).filter(\.$code == code).first()!.version
            }
            // Police forces are reference data: administrators only.
            for (actor, status) in [
                ("administrator", HTTPStatus.ok), ("inspector", .forbidden), ("lead_inspector", .forbidden),
                ("analyst", .forbidden), ("organisation_member", .forbidden), ("partner", .forbidden),
                ("member-of-metropolitan", .notFound),
            ] {
                let v = try await version("west-midlands")
                let response = try await app.testing().sendRequest(
                    .PATCH, "/api/v1/organisations/west-midlands",
                    headers: .bearer(cast[actor]!, json: true), body: json(["country": "England", "version": v]))
                #expect(response.status == status, "\(actor): \(response.text)")
            }
            // Partner bodies: the inspectorate's staff too.
            for (actor, status) in [("inspector", HTTPStatus.ok), ("lead_inspector", .ok), ("analyst", .forbidden), ("partner", .notFound)]
            {
                let v = try await version(partner.code)
                let response = try await app.testing().sendRequest(
                    .PATCH, "/api/v1/organisations/\(partner.code)",
                    headers: .bearer(cast[actor]!, json: true), body: json(["region": "West Midlands", "version": v]))
                #expect(response.status == status, "\(actor): \(response.text)")
            }
            let anon = try await app.testing().sendRequest(
                .PATCH, "/api/v1/organisations/west-midlands", headers: ["Content-Type": "application/json"], body: json(["version": 1]))
            #expect(anon.status == .unauthorized)
        }
    }

    @Test func administeringUsers() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            let target = cast["analyst"]!.user
            let onlyAdmin = Self.all(.notFound, Self.everyone).merging(["administrator": .ok]) { $1 }
            try await check(app, cast, .GET, "/api/v1/users", expect: onlyAdmin)
            try await check(app, cast, .GET, "/api/v1/users/\(target.id!)", expect: onlyAdmin)
            var counter = 0
            try await check(
                app, cast, .POST, "/api/v1/users",
                body: {
                    counter += 1
                    return ["email": "new\(counter)@example.org", "display_name": "New", "role": "inspector"]
                }, expect: onlyAdmin.merging(["administrator": .created]) { $1 })
            try await check(
                app, cast, .PATCH, "/api/v1/users/\(target.id!)", body: { ["display_name": "Renamed", "version": 1] },
                expect: onlyAdmin)
        }
    }

    @Test func tokensBelongToTheirOwner() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            try await check(app, cast, .GET, "/api/v1/tokens", expect: Self.all(.ok))
            let owner = cast["inspector"]!
            let tokenID = try await TokenService.list(for: owner.user, on: app.db).first!.id!
            try await check(
                app, cast, .DELETE, "/api/v1/tokens/\(tokenID)",
                expect: Self.all(.notFound, Self.everyone.filter { $0 != "inspector" }))
            let listed = try await app.testing().sendRequest(.GET, "/api/v1/tokens", headers: .bearer(cast["administrator"]!))
            #expect((listed.object["tokens"] as? [[String: Any]])?.count == 1, "administrators see only their own tokens")
            let revoked = try await app.testing().sendRequest(.DELETE, "/api/v1/tokens/\(tokenID)", headers: .bearer(owner))
            #expect(revoked.status == .ok)
        }
    }

    @Test func publicRoutesNeedNoToken() async throws {
        try await withApp { app in
            for path in ["/healthz", "/readyz", "/api/v1/openapi.json"] {
                let response = try await app.testing().sendRequest(.GET, path)
                #expect(response.status == .ok, "\(path)")
            }
        }
    }
}
