import Vapor
import Yams

/// The API's description, written by hand in YAML beside the code it describes and served
/// as JSON. A test compares it with the registered routes, so it cannot drift silently.
enum OpenAPIDocument {
    static func load() throws -> Data {
        guard
            let url = Bundle.module.url(forResource: "OpenAPI/openapi", withExtension: "yaml")
                ?? Bundle.module.resourceURL?.appendingPathComponent("OpenAPI/openapi.yaml")
        else {
            throw ConfigurationProblem("openapi.yaml is missing from the application's bundle")
        }
        let yaml = try String(contentsOf: url, encoding: .utf8)
        guard let object = try Yams.load(yaml: yaml) else { throw ConfigurationProblem("openapi.yaml is empty") }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}

struct OpenAPIRoutes: RouteCollection {
    let document: Data

    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.openAPIDocument.pathComponents) { _ in
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: .ok, headers: headers, body: .init(data: document))
        }
    }
}
