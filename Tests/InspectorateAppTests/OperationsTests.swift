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
            let metrics = try await app.testing().sendRequest(.GET, "/metrics")
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
            let given = try await app.testing().sendRequest(.GET, "/api/v1/organisations/none", headers: ["X-Request-Id": "trace-123"])
            #expect(given.headers.first(name: .xRequestId) == "trace-123")
            let page = try await app.testing().sendRequest(.GET, "/no-such-page", headers: ["X-Request-Id": "trace-456"])
            #expect(page.status == .notFound && page.text.contains("trace-456"), "error pages quote it for support")
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
