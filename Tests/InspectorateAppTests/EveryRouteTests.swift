import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

/// Every route the application registers, called by every role and by nobody signed in,
/// with real records in its path. The route list is the router's own, so a new route is
/// walked without anyone adding it here. What each role may do is tested per capability;
/// this holds the rules every route shares: the permission a route's group requires is a
/// 404 to anyone without it, an anonymous caller is sent to sign in (pages) or refused
/// (API), and nothing answers with a server error.
@Suite("Every route, every role")
struct EveryRouteTests {
    /// Routes anyone may call without signing in.
    static let public_: Set<String> = [
        "GET /", "GET /sign-in", "POST /sign-in", "POST /sign-out", "GET /healthz", "GET /readyz", "GET /metrics",
        "GET /api/v1/openapi.json", "POST /api/v1/tokens",
    ]

    struct Records {
        var values: [String: String]

        /// The value for a parameter of `pattern`: names mean different things under different prefixes.
        func value(_ name: String, in pattern: String) -> String {
            switch (name, pattern) {
            case ("code", let p) where p.contains("/frameworks/"): values["framework"] ?? ""
            case ("id", let p) where p.contains("/tokens/"): values["token"] ?? ""
            case ("id", _): values["user"] ?? ""
            default: values[name] ?? ""
            }
        }
    }

    /// A cycle with a self-assessment holding evidence, a group holding a document, a user
    /// and a token: something real behind every parameter.
    static func records(_ app: Application, _ cast: [String: TestUser]) async throws -> Records {
        try await CycleTests().startCycle(app, cast["lead_inspector"]!)
        let evidence = try await EvidenceTests.upload(app, cast["organisation_member"]!, kind: "self", fields: ["marking": "OFFICIAL"])
        let group = try await SharingTests.group(app, owner: cast["inspector"]!, members: [cast["partner"]!])
        let item = try await SharingTests.shareDocument(
            app, as: cast["inspector"]!, group: group, fields: ["title": "Profile", "marking": "OFFICIAL"])
        // Someone outside the cast whose account and token the walk may change or end.
        let bystander = try await app.makeUser(.partner, email: "bystander@example.org")
        let bystanderID = try bystander.user.requireID()
        let token = try #require(try await APIToken.query(on: app.db).filter(\.$user.$id == bystanderID).first())
        return Records(values: [
            "cycle": "prevent-2009", "organisation": "west-midlands", "kind": "self", "criterion": "leadership-plan",
            "evidence": evidence.object["id"] as? String ?? "", "group": group, "item": item.object["id"] as? String ?? "",
            "user": bystanderID.uuidString, "number": "1", "framework": "police-prevent", "version": "2009.1",
            "code": "west-midlands", "token": token.id?.uuidString ?? "",
        ])
    }

    @Test func everyRouteAnswersEveryRoleWithoutAServerError() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            let records = try await Self.records(app, cast)
            var sessions: [String: WebSession] = [:]
            for (role, user) in cast {
                var session = WebSession(app: app)
                _ = try await session.signIn(user.email, user.password)
                sessions[role] = session
            }
            // Routes that end a session or a token go last, so they do not end the walk.
            let routes = app.routes.all.sorted {
                ($0.path.last?.description == "sign-out" ? 1 : 0) < ($1.path.last?.description == "sign-out" ? 1 : 0)
            }
            var calls = 0
            for route in routes {
                let pattern = "/" + route.path.map(\.description).joined(separator: "/")
                let path =
                    "/"
                    + route.path.map { component -> String in
                        if case .parameter(let name) = component { return records.value(name, in: pattern) }
                        return component.description
                    }.joined(separator: "/")
                let key = "\(route.method.rawValue) \(pattern)"
                let isAPI = APIURL.contains(path: path)
                // Nobody signed in.
                let anonymous = try await app.testing().sendRequest(
                    route.method, path, headers: isAPI ? [:] : ["Content-Type": "application/x-www-form-urlencoded"])
                calls += 1
                #expect(anonymous.status.code < 500, "anonymous \(key): \(anonymous.status)")
                if !Self.public_.contains(key) {
                    if isAPI {
                        #expect(anonymous.status == .unauthorized, "anonymous \(key)")
                    } else if route.method == .GET {
                        #expect(
                            anonymous.status == .seeOther && anonymous.headers.first(name: .location)?.hasPrefix("/sign-in?next=") == true,
                            "anonymous \(key)")
                    } else {
                        #expect(anonymous.status == .unauthorized, "anonymous \(key): \(anonymous.status)")
                    }
                }
                for (role, user) in cast.sorted(by: { $0.key < $1.key }) where route.path.last?.description != "sign-out" {
                    let response: TestingHTTPResponse
                    if isAPI {
                        var headers = user.bearer
                        if route.method != .GET { headers.contentType = .json }
                        response = try await app.testing().sendRequest(
                            route.method, path, headers: headers, body: route.method == .GET ? nil : ByteBuffer(string: "{}"))
                    } else if route.method == .GET {
                        response = try await sessions[role]!.get(path)
                    } else {
                        response = try await sessions[role]!.post(path, form: [:], from: "/account")
                    }
                    calls += 1
                    #expect(response.status.code < 500, "\(role) \(key): \(response.status) \(response.text.prefix(200))")
                    if let permission = route.permission, !permission.allows(try user.user.principal) {
                        #expect(response.status == .notFound, "\(role) lacks \(permission) for \(key): \(response.status)")
                    }
                }
            }
            #expect(calls > 700)
        }
    }
}
