import Foundation
import Testing
import Vapor
import VaporTesting
@testable import InspectorateApp

/// A new route must be added here, and so to the authorization tests, and (for the API)
/// to the OpenAPI document: these tests fail until it is.
@Suite("Route coverage")
struct RouteCoverageTests {
    /// Routes the authorization tests exercise per role (AuthorizationAPITests,
    /// AuthorizationWebTests, SignInTests, OperationsTests).
    static let covered: Set<String> = [
        "GET /", "GET /sign-in", "POST /sign-in", "POST /sign-out",
        "GET /organisations", "GET /organisations/new", "POST /organisations", "GET /organisations/:code",
        "GET /organisations/:code/edit", "POST /organisations/:code/edit",
        "GET /users", "GET /users/new", "POST /users", "GET /users/:id/edit", "POST /users/:id/edit", "POST /users/:id/reset-password",
        "GET /account", "POST /account/password", "POST /account/tokens", "POST /account/tokens/:id/revoke",
        "GET /healthz", "GET /readyz", "GET /metrics",
        "GET /api/v1/openapi.json", "POST /api/v1/tokens", "GET /api/v1/tokens", "DELETE /api/v1/tokens/:id",
        "GET /api/v1/me", "GET /api/v1/organisations", "POST /api/v1/organisations", "GET /api/v1/organisations/:code",
        "PATCH /api/v1/organisations/:code", "GET /api/v1/users", "POST /api/v1/users", "GET /api/v1/users/:id", "PATCH /api/v1/users/:id",
        // FrameworkTests
        "GET /frameworks", "GET /frameworks/diff", "GET /frameworks/:code/:version", "GET /frameworks/upload", "POST /frameworks/upload", "POST /frameworks",
        "GET /api/v1/frameworks", "POST /api/v1/frameworks", "POST /api/v1/frameworks/validate", "GET /api/v1/frameworks/diff",
        "GET /api/v1/frameworks/:code/:version", "GET /api/v1/frameworks/:code/:version/export",
        // CycleTests
        "GET /api/v1/cycles", "POST /api/v1/cycles", "GET /api/v1/cycles/:cycle",
        "PUT /api/v1/cycles/:cycle/organisations/:organisation/tier", "GET /api/v1/cycles/:cycle/organisations/:organisation/tier/history",
        "GET /api/v1/cycles/:cycle/organisations/:organisation/assessments/:kind",
        "PUT /api/v1/cycles/:cycle/organisations/:organisation/assessments/:kind/judgements/:criterion",
        "POST /api/v1/cycles/:cycle/organisations/:organisation/assessments/:kind/transitions",
        "GET /api/v1/cycles/:cycle/organisations/:organisation/assessments/:kind/history",
        "GET /api/v1/cycles/:cycle/picture", "GET /api/v1/cycles/:cycle/export", "POST /api/v1/cycles/:cycle/judgements", "POST /api/v1/cycles/:cycle/carry-forward",
        // CyclePageTests
        "GET /cycles", "GET /cycles/new", "POST /cycles", "GET /cycles/:cycle", "GET /cycles/:cycle/export.csv", "POST /cycles/:cycle/carry-forward", "GET /cycles/:cycle/organisations/:organisation",
        "POST /cycles/:cycle/organisations/:organisation/tier", "GET /cycles/:cycle/organisations/:organisation/assessments/:kind",
        "POST /cycles/:cycle/organisations/:organisation/assessments/:kind/judgements/:criterion",
        "POST /cycles/:cycle/organisations/:organisation/assessments/:kind/transitions",
        // SharingTests, AuditTrailTests, SharingAuthorizationTests
        "GET /guidance/vetting", "GET /sharing", "POST /sharing/groups", "GET /sharing/groups/:group", "POST /sharing/groups/:group/members",
        "POST /sharing/groups/:group/members/:user/remove", "POST /sharing/groups/:group/items", "GET /sharing/items/:item",
        "POST /sharing/items/:item/versions", "GET /sharing/items/:item/versions/:number", "POST /sharing/items/:item/marking",
        "GET /audit", "GET /audit.csv",
        "GET /api/v1/markings", "GET /api/v1/groups", "POST /api/v1/groups", "GET /api/v1/groups/:group", "POST /api/v1/groups/:group/members",
        "DELETE /api/v1/groups/:group/members/:user", "POST /api/v1/groups/:group/items", "GET /api/v1/shared-items", "GET /api/v1/shared-items/:item",
        "POST /api/v1/shared-items/:item/versions", "GET /api/v1/shared-items/:item/versions/:number/content", "PUT /api/v1/shared-items/:item/marking",
        "GET /api/v1/audit", "GET /api/v1/audit/checkpoint",
        // EvidenceTests
        "GET /api/v1/cycles/:cycle/organisations/:organisation/assessments/:kind/evidence",
        "POST /api/v1/cycles/:cycle/organisations/:organisation/assessments/:kind/judgements/:criterion/evidence",
        "GET /api/v1/evidence/:evidence/content", "PUT /api/v1/cycles/:cycle/organisations/:organisation/assessments/:kind/marking",
        "POST /cycles/:cycle/organisations/:organisation/assessments/:kind/marking", "POST /cycles/:cycle/organisations/:organisation/assessments/:kind/evidence", "GET /evidence/:evidence",
    ]

    static func registered(_ app: Application) -> Set<String> {
        Set(app.routes.all.map { route in
            "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
        })
    }

    @Test func everyRouteHasAuthorizationTests() async throws {
        try await withApp { app in
            let registered = Self.registered(app)
            #expect(registered.subtracting(Self.covered).sorted() == [], "routes without authorization tests")
            #expect(Self.covered.subtracting(registered).sorted() == [], "listed routes that no longer exist")
        }
    }

    @Test func everyAPIRouteIsInTheOpenAPIDocument() async throws {
        try await withApp { app in
            let response = try await app.testing().sendRequest(.GET, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            #expect(response.object["openapi"] as? String == "3.1.0")
            let paths = response.object["paths"] as? [String: [String: Any]] ?? [:]
            var documented: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys where method != "parameters" {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            let operations: Set<String> = ["GET /healthz", "GET /readyz", "GET /metrics"]
            let served = Self.registered(app).filter { $0.contains(" /api/") || operations.contains($0) }
                .map { $0.replacingOccurrences(of: #":([a-z]+)"#, with: "{$1}", options: .regularExpression) }
            #expect(Set(served).subtracting(documented).sorted() == [], "API routes missing from openapi.yaml")
            #expect(documented.subtracting(served).sorted() == [], "documented routes that are not served")
        }
    }
}
