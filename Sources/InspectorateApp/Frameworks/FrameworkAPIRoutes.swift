import Fluent
import InspectorateCore
import Vapor

struct FrameworkAPIRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.frameworks, use: list)
        routes.get(APIURL.frameworkDiff, use: diff)
        routes.get(APIURL.framework(.key, .key), use: show)
        routes.get(APIURL.frameworkExport(.key, .key), use: export)
        let admin = routes.guarded(by: .manageReferenceData)
        admin.post(APIURL.frameworks, use: create)
        admin.post(APIURL.frameworkValidation, use: validate)
    }

    struct ListResponse: Content { var frameworks: [FrameworkSummaryDTO] }

    func list(req: Request) async throws -> ListResponse {
        ListResponse(frameworks: try await FrameworkService.list(on: req.db).map(FrameworkSummaryDTO.init))
    }

    func show(req: Request) async throws -> FrameworkDTO {
        FrameworkDTO(try await record(req).framework())
    }

    func record(_ req: Request) async throws -> FrameworkRecord {
        try await FrameworkService.require(code: try req.parameter("code"), version: try req.parameter("version"), on: req.db)
    }

    func export(req: Request) async throws -> Response {
        let record = try await record(req)
        let yaml = try FrameworkDocument.yaml(try record.framework())
        return Download.file(yaml, contentType: "application/yaml; charset=utf-8", filename: "\(record.code)-\(record.version).yaml")
    }

    /// The framework document is the body, as YAML.
    static func document(_ req: Request) throws -> String {
        let type = req.headers.contentType
        let yamlTypes = ["yaml", "x-yaml"]
        guard let type,
            (type.type == "application" && yamlTypes.contains(type.subType))
                || (type.type == "text" && (yamlTypes.contains(type.subType) || type.subType == "plain"))
        else {
            throw HTTPProblem.unsupportedMediaType("Send the framework document as YAML with 'Content-Type: application/yaml'")
        }
        guard let buffer = req.body.data, buffer.readableBytes > 0 else {
            throw FieldError("body", "The request body is empty; send the framework document")
        }
        guard let text = String(data: Data(buffer.readableBytesView), encoding: .utf8) else {
            throw FieldError("body", "The document is not UTF-8 text")
        }
        return text
    }

    struct ValidationReport: Content {
        var valid: Bool
        var framework: FrameworkSummary
        struct FrameworkSummary: Content { var reference: String; var areas: Int; var criteria: Int; var tiers: Int }
    }

    func validate(req: Request) async throws -> ValidationReport {
        let framework = try FrameworkDocument.parse(yaml: try Self.document(req))
        return ValidationReport(
            valid: true,
            framework: .init(
                reference: framework.reference, areas: framework.areas.count,
                criteria: framework.criteria.count, tiers: framework.tiers.count))
    }

    func create(req: Request) async throws -> Response {
        let (record, created) = try await FrameworkService.importDocument(
            try Self.document(req), by: try req.currentUser, caller: req.caller, on: req.db)
        return try await FrameworkSummaryDTO(record).encodeResponse(status: created ? .created : .ok, for: req)
    }

    struct DiffResponse: Content { var from: String; var to: String; var changes: [FrameworkChangeDTO] }

    func diff(req: Request) async throws -> DiffResponse {
        guard let from: String = req.query["from"], !from.isEmpty else { throw FieldError("from", "Give from=CODE@VERSION") }
        guard let to: String = req.query["to"], !to.isEmpty else { throw FieldError("to", "Give to=CODE@VERSION") }
        let old = try await FrameworkService.require(reference: from, on: req.db)
        let new = try await FrameworkService.require(reference: to, on: req.db)
        return DiffResponse(
            from: old.reference, to: new.reference,
            changes: FrameworkDiff.compare(try old.framework(), try new.framework()).map(FrameworkChangeDTO.init))
    }
}
