import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

/// Every page, visited by every role after signing in as a person would.
@Suite("Authorization: pages, per role")
struct AuthorizationWebTests {
    /// Signs each member of the cast in through the sign-in form.
    func sessions(_ app: Application, _ cast: [String: TestUser]) async throws -> [String: WebSession] {
        var sessions: [String: WebSession] = [:]
        for (actor, user) in cast {
            var session = WebSession(app: app)
            let response = try await session.signIn(user.email, user.password)
            #expect(response.status == .seeOther, "\(actor) signs in")
            sessions[actor] = session
        }
        return sessions
    }

    @Test func pagesPerRole() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            var sessions = try await sessions(app, cast)
            let admin = cast["administrator"]!.user
            let staff = ["administrator", "inspector", "lead_inspector", "analyst"]
            let editors = ["administrator", "inspector", "lead_inspector"]
            let expectations: [(String, [String: HTTPStatus])] = [
                ("/", all(.ok)),
                ("/organisations", all(.ok)),
                ("/organisations/west-midlands", all(.ok)),
                ("/organisations/metropolitan", all(.notFound).merging(all(.ok, staff)) { $1 }),
                ("/organisations/new", all(.notFound).merging(all(.ok, editors)) { $1 }),
                ("/organisations/west-midlands/edit", all(.forbidden).merging(["administrator": .ok]) { $1 }),
                (
                    "/organisations/metropolitan/edit",
                    all(.notFound).merging([
                        "administrator": .ok, "inspector": .forbidden, "lead_inspector": .forbidden, "analyst": .forbidden,
                    ]) { $1 }
                ),
                ("/users", all(.notFound).merging(["administrator": .ok]) { $1 }),
                ("/users/new", all(.notFound).merging(["administrator": .ok]) { $1 }),
                ("/users/\(admin.id!)/edit", all(.notFound).merging(["administrator": .ok]) { $1 }),
                ("/account", all(.ok)),
            ]
            for (path, expected) in expectations {
                for (actor, status) in expected.sorted(by: { $0.key < $1.key }) {
                    let response = try await sessions[actor]!.get(path)
                    #expect(response.status == status, "\(actor) GET \(path)")
                }
                if path != "/" {
                    let anonymous = try await app.testing().sendRequest(.GET, path)
                    #expect(anonymous.status == .seeOther, "anonymous GET \(path) is sent to sign in")
                    #expect(anonymous.headers.first(name: .location)?.hasPrefix("/sign-in?next=") == true)
                }
            }
        }
    }

    @Test func formsPerRole() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            var sessions = try await sessions(app, cast)
            // Not one of the cast: resetting a password ends that person's sessions.
            let target = try await app.makeUser(.analyst).user
            for actor in ["administrator", "inspector", "lead_inspector", "analyst", "organisation_member", "partner"] {
                let register = try await sessions[actor]!.post("/organisations", form: ["name": "Council for \(actor)"], from: "/account")
                let mayRegister = ["administrator", "inspector", "lead_inspector"].contains(actor)
                #expect(register.status == (mayRegister ? .seeOther : .notFound), "\(actor) registers a partner")

                let addUser = try await sessions[actor]!.post(
                    "/users", form: ["email": "\(actor)-added@example.org", "display_name": "Added", "role": "analyst"], from: "/account")
                #expect(addUser.status == (actor == "administrator" ? .created : .notFound), "\(actor) adds a user")

                let edit = try await sessions[actor]!.post(
                    "/users/\(target.id!)/edit",
                    form: [
                        "display_name": "Analyst", "role": "analyst", "vetting_level": "none", "active": "true",
                        "version": "\(try await User.find(target.id, on: app.db)!.version)",
                    ], from: "/account")
                #expect(edit.status == (actor == "administrator" ? .seeOther : .notFound), "\(actor) edits a user")

                let reset = try await sessions[actor]!.post("/users/\(target.id!)/reset-password", form: [:], from: "/account")
                #expect(reset.status == (actor == "administrator" ? .ok : .notFound), "\(actor) resets a password")

                let editForce = try await sessions[actor]!.post(
                    "/organisations/west-midlands/edit",
                    form: [
                        "name": "West Midlands Police",
                        "version": "\(try await Organisation.query(on: app.db).filter(\.$code == "west-midlands").first()!.version)",
                    ], from: "/account")
                #expect(editForce.status == (actor == "administrator" ? .seeOther : .forbidden), "\(actor) edits a force")
            }
        }
    }

    func all(
        _ status: HTTPStatus,
        _ actors: [String] = ["administrator", "inspector", "lead_inspector", "analyst", "organisation_member", "partner"]
    ) -> [String: HTTPStatus] {
        Dictionary(uniqueKeysWithValues: actors.map { ($0, status) })
    }
}
