import InspectorateCore
import Metrics
import Prometheus
import Vapor

/// One registry per process: swift-metrics can be bootstrapped only once, and tests start
/// many applications in one process.
enum MetricsRegistry {
    static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Request latencies worth telling apart on a fast server: 0.5 ms up to 10 s.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2), .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()
}

struct OperationsRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.health.pathComponents, use: health)
        routes.get(SiteURL.ready, use: ready)
        routes.get(SiteURL.metrics.pathComponents, use: metrics)
    }

    /// The process is up and answering.
    func health(req: Request) -> String { "ok" }

    /// The database answers too: a load balancer should send traffic only when it does.
    func ready(req: Request) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            _ = try await Organisation.query(on: req.db).limit(1).all()
        } catch {
            req.logger.warning("readiness check failed: \(String(reflecting: error))")
            Gauge(label: "inspectorate_database_up").record(0)
            return Response(
                status: .serviceUnavailable, headers: ["Content-Type": "text/plain; charset=utf-8"],
                body: .init(string: "database unreachable"))
        }
        Gauge(label: "inspectorate_database_up").record(1)
        Timer(label: "inspectorate_database_ping_seconds").recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
        return Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .init(string: "ready"))
    }

    /// Prometheus metrics, to a scraper holding `INSPECTORATE_METRICS_TOKEN` only: request
    /// counts by route and status say what the service is used for. Anyone else gets the
    /// 404 of any unknown page.
    func metrics(req: Request) throws -> Response {
        guard let token = req.application.settings.metricsToken, let sent = req.headers.bearerAuthorization?.token,
            Digest.sha256(Data(sent.utf8)) == Digest.sha256(Data(token.utf8))
        else { throw DomainError.notFound("page") }
        let response = Response(status: .ok, body: .init(string: MetricsRegistry.shared.emitToString()))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return response
    }
}
