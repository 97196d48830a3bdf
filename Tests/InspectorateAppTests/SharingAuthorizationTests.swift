import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

/// Every sharing and audit route, for every role. Membership and vetting decide, not role:
/// the group belongs to the force member (owner) and the partner; staff hold SC, others BPSS.
@Suite("Authorization: sharing and audit, per role")
struct SharingAuthorizationTests {
    static let roles = [
        "administrator", "inspector", "lead_inspector", "analyst", "organisation_member", "partner", "member-of-metropolitan",
    ]

    func expectations(_ app: Application) async throws -> (cast: [String: TestUser], group: String, item: String) {
        let cast = try await app.makeCast()
        let group = try await SharingTests.group(
            app, owner: cast["organisation_member"]!, members: [cast["partner"]!], name: "Shared space")
        let shared = try await SharingTests.shareDocument(
            app, as: cast["organisation_member"]!, group: group,
            fields: ["title": "Profile", "marking": "OFFICIAL"])
        return (cast, group, shared.object["id"] as! String)
    }

    @Test func pagesPerRole() async throws {
        try await withApp { app in
            let (cast, group, item) = try await expectations(app)
            var sessions: [String: WebSession] = [:]
            for actor in Self.roles {
                var session = WebSession(app: app)
                _ = try await session.signIn(cast[actor]!.email, cast[actor]!.password)
                sessions[actor] = session
            }
            let members: Set<String> = ["organisation_member", "partner"]
            for actor in Self.roles {
                let inGroup = members.contains(actor)
                let pages: [(String, HTTPStatus)] = [
                    ("/guidance/vetting", .ok),
                    ("/sharing", .ok),
                    ("/sharing/groups/\(group)", inGroup || actor == "administrator" ? .ok : .notFound),
                    ("/sharing/items/\(item)", inGroup ? .ok : .notFound),
                    ("/sharing/items/\(item)/versions/1", inGroup ? .ok : .notFound),
                    ("/audit", actor == "administrator" ? .ok : .notFound),
                    ("/audit.csv", actor == "administrator" ? .ok : .notFound),
                ]
                for (path, status) in pages {
                    #expect(try await sessions[actor]!.get(path).status == status, "\(actor) GET \(path)")
                }
                let create = try await sessions[actor]!.post("/sharing/groups", form: ["name": "Group of \(actor)"], from: "/sharing")
                #expect(create.status == .seeOther, "\(actor) starts a group")
                let add = try await sessions[actor]!.post(
                    "/sharing/groups/\(group)/members", form: ["email": cast["analyst"]!.email], from: "/sharing")
                let expectedAdd: HTTPStatus =
                    actor == "organisation_member" ? .seeOther : (inGroup || actor == "administrator" ? .unprocessableEntity : .notFound)
                #expect(add.status == expectedAdd, "\(actor) adds a member")
                if actor == "organisation_member" {
                    // Put things back for the next actor.
                    let analyst = cast["analyst"]!.user.id!
                    #expect(
                        try await sessions[actor]!.post("/sharing/groups/\(group)/members/\(analyst)/remove", form: [:], from: "/sharing")
                            .status == .seeOther)
                } else {
                    let remove = try await sessions[actor]!.post(
                        "/sharing/groups/\(group)/members/\(cast["partner"]!.user.id!)/remove", form: [:], from: "/sharing")
                    #expect(
                        remove.status == (inGroup || actor == "administrator" ? .unprocessableEntity : .notFound),
                        "\(actor) removes a member")
                }
                let note = try await sessions[actor]!.post(
                    "/sharing/groups/\(group)/items",
                    form: ["kind": "note", "title": "Note by \(actor)", "body": "Text", "marking": "OFFICIAL"], from: "/sharing")
                #expect(note.status == (inGroup ? .seeOther : .notFound), "\(actor) shares a note")
                let remark = try await sessions[actor]!.post(
                    "/sharing/items/\(item)/marking", form: ["marking": "OFFICIAL-SENSITIVE", "reason": "check", "version": "1"],
                    from: "/sharing")
                let expectedRemark: HTTPStatus = actor == "organisation_member" ? .seeOther : (inGroup ? .unprocessableEntity : .notFound)
                #expect(remark.status == expectedRemark, "\(actor) changes the marking")
                if actor == "organisation_member" {
                    _ = try await app.testing().sendRequest(
                        .PUT, "/api/v1/shared-items/\(item)/marking", headers: .bearer(cast[actor]!, json: true),
                        body: json(["marking": "OFFICIAL", "reason": "back", "version": 2]))
                }
                let version = try await sessions[actor]!.post("/sharing/items/\(item)/versions", form: [:], from: "/sharing")
                #expect(version.status == (inGroup ? .unprocessableEntity : .notFound), "\(actor) uploads a version without a file")
            }
        }
    }

    @Test func apiPerRole() async throws {
        try await withApp { app in
            let (cast, group, item) = try await expectations(app)
            let members: Set<String> = ["organisation_member", "partner"]
            for actor in Self.roles {
                let total =
                    try await app.testing().sendRequest(.GET, "/api/v1/shared-items", headers: cast[actor]!.bearer).object["total"] as? Int
                #expect(total == (members.contains(actor) ? 1 : 0), "\(actor) counts only what they may read")
            }
            for actor in Self.roles {
                let user = cast[actor]!
                let inGroup = members.contains(actor)
                let reads: [(String, HTTPStatus)] = [
                    ("/api/v1/markings", .ok),
                    ("/api/v1/groups", .ok),
                    ("/api/v1/groups/\(group)", inGroup || actor == "administrator" ? .ok : .notFound),
                    ("/api/v1/shared-items", .ok),
                    ("/api/v1/shared-items/\(item)", inGroup ? .ok : .notFound),
                    ("/api/v1/shared-items/\(item)/versions/1/content", inGroup ? .ok : .notFound),
                    ("/api/v1/audit", actor == "administrator" ? .ok : .notFound),
                    ("/api/v1/audit/checkpoint", actor == "administrator" ? .ok : .notFound),
                ]
                for (path, status) in reads {
                    #expect(try await app.testing().sendRequest(.GET, path, headers: user.bearer).status == status, "\(actor) GET \(path)")
                }
                let create = try await app.testing().sendRequest(
                    .POST, "/api/v1/groups", headers: .bearer(user, json: true), body: json(["name": "API group of \(actor)"]))
                #expect(create.status == .created)
                let add = try await app.testing().sendRequest(
                    .POST, "/api/v1/groups/\(group)/members", headers: .bearer(user, json: true),
                    body: json(["email": cast["analyst"]!.email]))
                #expect(
                    add.status
                        == (actor == "organisation_member" ? .created : (inGroup || actor == "administrator" ? .forbidden : .notFound)),
                    "\(actor) adds a member")
                if actor == "organisation_member" {
                    let removed = try await app.testing().sendRequest(
                        .DELETE, "/api/v1/groups/\(group)/members/\(cast["analyst"]!.user.id!)", headers: user.bearer)
                    #expect(removed.status == .noContent)
                } else {
                    let remove = try await app.testing().sendRequest(
                        .DELETE, "/api/v1/groups/\(group)/members/\(cast["partner"]!.user.id!)", headers: user.bearer)
                    #expect(remove.status == (inGroup || actor == "administrator" ? .forbidden : .notFound), "\(actor) removes a member")
                }
                let note = try await app.testing().sendRequest(
                    .POST, "/api/v1/groups/\(group)/items", headers: .bearer(user, json: true),
                    body: json(["title": "Note", "body": "Text", "marking": "OFFICIAL"]))
                #expect(note.status == (inGroup ? .created : .notFound), "\(actor) shares a note")
                let (headers, body) = multipart([:], file: (filename: "v.pdf", data: SharingTests.pdf))
                let version = try await app.testing().sendRequest(
                    .POST, "/api/v1/shared-items/\(item)/versions", headers: user.bearer.adding(headers), body: body)
                #expect(version.status == (inGroup ? .created : .notFound), "\(actor) uploads a version")
                let remark = try await app.testing().sendRequest(
                    .PUT, "/api/v1/shared-items/\(item)/marking", headers: .bearer(user, json: true),
                    body: json(["marking": "OFFICIAL-SENSITIVE", "reason": "check"]))
                #expect(
                    remark.status == (actor == "organisation_member" ? .ok : (inGroup ? .forbidden : .notFound)),
                    "\(actor) changes the marking")
                if actor == "organisation_member" {
                    _ = try await app.testing().sendRequest(
                        .PUT, "/api/v1/shared-items/\(item)/marking", headers: .bearer(user, json: true),
                        body: json(["marking": "OFFICIAL", "reason": "back"]))
                }
            }
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/shared-items").status == .unauthorized)
        }
    }
}
