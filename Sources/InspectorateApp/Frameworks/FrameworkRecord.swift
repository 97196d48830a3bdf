import Fluent
import InspectorateCore
import Vapor

final class FrameworkRecord: Model, @unchecked Sendable {
    static let schema = "frameworks"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "version") var version: String
    @Field(key: "title") var title: String
    /// The YAML exactly as imported.
    @Field(key: "document") var document: String
    /// The parsed framework as JSON: what the application reads.
    @Field(key: "canonical") var canonical: String
    @OptionalParent(key: "imported_by") var importedBy: User?
    @Field(key: "imported_at") var importedAt: Date

    init() {}

    init(framework: Framework, document: String, canonical: String, importedBy: UUID?, at instant: Date) {
        code = framework.code
        version = framework.version
        title = framework.title
        self.document = document
        self.canonical = canonical
        self.$importedBy.id = importedBy
        importedAt = instant
    }

    var reference: String { "\(code)@\(version)" }

    func framework() throws -> Framework {
        try JSONDecoder().decode(Framework.self, from: Data(canonical.utf8))
    }
}
