import Foundation
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("Operations")
struct OperationsTests {
    @Test func healthReadinessAndMetrics() async throws {
        try await withApp { app in
            let health = try await app.testing().sendRequest(.GET, "/healthz")
            #expect(health.status == .ok && health.text == "ok")
            let ready = try await app.testing().sendRequest(.GET, "/readyz")
            #expect(ready.status == .ok)
            let admin = try await app.makeUser(.administrator)
            _ = try await app.testing().sendRequest(.GET, "/api/v1/organisations", headers: admin.bearer)
            // Not served without a configured token, nor to a wrong one.
            #expect(try await app.testing().sendRequest(.GET, "/metrics").status == .notFound)
            app.settings.metricsToken = "scraper-secret-0123456789"
            #expect(try await app.testing().sendRequest(.GET, "/metrics").status == .notFound)
            #expect(
                try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer wrong-secret-0123456789"]).status
                    == .notFound)
            let metrics = try await app.testing().sendRequest(
                .GET, "/metrics", headers: ["Authorization": "Bearer scraper-secret-0123456789"])
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains(#"http_requests_total{method="GET",path="/api/v1/organisations",status="200"}"#))
            #expect(metrics.text.contains("http_request_duration_seconds_bucket"))
            #expect(metrics.text.contains("inspectorate_database_up 1"))
            #expect(metrics.text.contains("inspectorate_database_pool_max_connections"))
        }
    }

    @Test func everyResponseCarriesItsRequestID() async throws {
        try await withApp { app in
            let generated = try await app.testing().sendRequest(.GET, "/healthz")
            #expect(generated.headers.first(name: .xRequestId)?.isEmpty == false)
            // A proxy's id (nginx's $request_id: 32 hex digits) is kept and quoted on error pages.
            let proxied = "0123456789abcdef0123456789abcdef"
            let given = try await app.testing().sendRequest(.GET, "/api/v1/organisations/none", headers: ["X-Request-Id": proxied])
            #expect(given.headers.first(name: .xRequestId) == proxied)
            let page = try await app.testing().sendRequest(.GET, "/no-such-page", headers: ["X-Request-Id": proxied])
            #expect(page.status == .notFound && page.text.contains(proxied), "error pages quote it for support")
            // Anything else a client chooses is replaced, in the answer and in the trail.
            for spoofed in ["cli-spoofed", String(repeating: "x", count: 900_000)] {
                let answer = try await app.testing().sendRequest(
                    .POST, "/api/v1/tokens", headers: ["X-Request-Id": spoofed, "Content-Type": "application/json"],
                    body: json(["email": "nobody@example.org", "password": "wrong password here"]))
                #expect(answer.status == .unauthorized && answer.headers.first(name: .xRequestId) != spoofed)
            }
            let trail = try await AuditTrail.page(AuditTrail.Filter(action: "sign-in"), before: nil, on: app.db)
            #expect(trail.count == 2 && trail.allSatisfy { UUID(uuidString: $0.requestID) != nil })
        }
    }

    @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            var session = WebSession(app: app)
            _ = try await session.signIn(admin.email, testPassword)
            let answers = [
                try await session.get("/organisations"), try await session.get("/no-such-page"),
                try await app.testing().sendRequest(.GET, "/api/v1/organisations", headers: admin.bearer),
                try await app.testing().sendRequest(.GET, "/sign-in"),
                try await app.testing().sendRequest(
                    .POST, "/api/v1/tokens", headers: ["Content-Type": "application/json"],
                    body: json(["email": admin.email, "password": testPassword])),
            ]
            for answer in answers {
                let policy = answer.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'"))
                #expect(answer.headers.first(name: "X-Frame-Options") == "DENY")
                #expect(answer.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(answer.headers.first(name: "Referrer-Policy") == "same-origin")
                #expect(answer.headers.first(name: .cacheControl) == "no-store", "pages, JSON and new tokens are not kept")
                #expect(answer.headers.first(name: "Strict-Transport-Security") == nil, "not over plain HTTP")
            }
            let overTLS = try await app.testing().sendRequest(.GET, "/healthz", headers: ["X-Forwarded-Proto": "https"])
            #expect(overTLS.headers.first(name: "Strict-Transport-Security")?.hasPrefix("max-age=") == true)
            let css = try await app.testing().sendRequest(.GET, "/css/inspectorate.css")
            #expect(css.headers.first(name: .cacheControl) != "no-store", "the stylesheet may be cached")
        }
    }

    @Test func theStylesheetIsServedAndOtherPathsAreNotFiles() async throws {
        try await withApp { app in
            let css = try await app.testing().sendRequest(.GET, "/css/inspectorate.css")
            #expect(css.status == .ok && css.headers.contentType?.subType == "css" && css.text.contains("{"))
            #expect(try await app.testing().sendRequest(.GET, "/css/no-such.css").status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, "/cssx").status == .notFound)
        }
    }
}
