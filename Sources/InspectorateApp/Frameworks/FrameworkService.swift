import Fluent
import InspectorateCore
import Vapor

/// Importing, listing and reading framework versions; shared by pages, API and CLI.
enum FrameworkService {
    static func canonicalJSON(_ framework: Framework) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(framework), as: UTF8.self)
    }

    /// Imports a framework version, all or nothing. The same document again is a no-op;
    /// different content under an existing version is refused, since inspections may use it.
    static func importDocument(
        _ yaml: String, by user: User?, caller: Caller, on db: any Database
    ) async throws -> (FrameworkRecord, created: Bool) {
        let framework = try FrameworkDocument.parse(yaml: yaml)
        let canonical = try canonicalJSON(framework)
        if let existing = try await find(code: framework.code, version: framework.version, on: db) {
            guard existing.canonical == canonical else {
                throw DomainError.conflict(
                    field: "version",
                    message:
                        "\(framework.reference) is already imported with different content, and a version never changes. Give the changed framework a new version and import it again."
                )
            }
            return (existing, false)
        }
        let record = FrameworkRecord(framework: framework, document: yaml, canonical: canonical, importedBy: user?.id, at: caller.now)
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            try await record.create(on: tx)
            try await audit.append(
                AuditEvent(
                    action: "framework.import", recordType: "framework", recordID: try record.requireID().uuidString,
                    detail: framework.reference))
        }
        return (record, true)
    }

    static func list(on db: any Database) async throws -> [FrameworkRecord] {
        try await FrameworkRecord.query(on: db).sort(\.$code).sort(\.$importedAt).all()
    }

    static func find(code: String, version: String, on db: any Database) async throws -> FrameworkRecord? {
        try await FrameworkRecord.query(on: db).filter(\.$code == code).filter(\.$version == version).first()
    }

    static func require(code: String, version: String, on db: any Database) async throws -> FrameworkRecord {
        guard let record = try await find(code: code, version: version, on: db) else { throw DomainError.notFound("framework") }
        return record
    }

    /// `code@version` as people write it.
    static func require(reference: String, on db: any Database) async throws -> FrameworkRecord {
        let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw FieldError("framework", "Name a framework as CODE@VERSION, like police-prevent@2009.1") }
        return try await require(code: parts[0], version: parts[1], on: db)
    }

    /// The frameworks shipped with the application, imported on first start.
    static func shippedDocuments() throws -> [(name: String, yaml: String)] {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Frameworks") else { return [] }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        return try files.map { ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
    }

    static func importShipped(caller: Caller, on db: any Database) async throws -> [FrameworkRecord] {
        var imported: [FrameworkRecord] = []
        for (_, yaml) in try shippedDocuments() {
            // A deployment may already hold this version (perhaps as an earlier release
            // shipped it): leave it alone rather than refuse to start.
            let framework = try FrameworkDocument.parse(yaml: yaml)
            if try await find(code: framework.code, version: framework.version, on: db) != nil { continue }
            imported.append(try await importDocument(yaml, by: nil, caller: caller, on: db).0)
        }
        return imported
    }
}
