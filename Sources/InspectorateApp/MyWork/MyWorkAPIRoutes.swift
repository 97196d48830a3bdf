import InspectorateCore
import Vapor

/// The caller's work list through the API.
struct MyWorkAPIRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.myWork, use: list)
    }

    func list(req: Request) async throws -> WorkListDTO {
        WorkListDTO(items: try await MyWorkService.items(for: try req.principal, on: req.db).map(WorkItemDTO.init))
    }
}
