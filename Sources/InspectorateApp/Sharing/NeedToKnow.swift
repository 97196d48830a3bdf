import Fluent
import InspectorateCore
import Vapor

/// Need-to-know groups of any marked record, beyond its marking: a reader must belong to
/// every one. Kept in `record_groups` for every kind of record.
enum NeedToKnow {
    /// Group ids as forms and the command line give them: "id, id".
    static func parse(_ text: String?, errors: inout ValidationErrors) -> [UUID] {
        var ids: [UUID] = []
        for raw in (text ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !raw.isEmpty {
            if let id = UUID(uuidString: raw) { ids.append(id) } else { errors.add("groups", "\"\(raw)\" is not a group id") }
        }
        return ids
    }

    /// Nobody restricts a record to a group they are not in: they could not read it back.
    static func check(_ ids: [UUID], reader: Reader, errors: inout ValidationErrors) -> Set<UUID> {
        let wanted = Set(ids)
        if !wanted.isSubset(of: reader.groups) { errors.add("groups", "Need-to-know groups must be groups you belong to") }
        return wanted
    }

    static func store(_ groups: Set<UUID>, type: RecordType, id: UUID, on db: any Database) async throws {
        for group in groups { try await RecordGroup(recordType: type, recordID: id, groupID: group).create(on: db) }
    }

    static func replace(_ groups: Set<UUID>, type: RecordType, id: UUID, on db: any Database) async throws {
        try await RecordGroup.query(on: db).filter(\.$recordID == id).filter(\.$recordType == type.rawValue).delete()
        try await store(groups, type: type, id: id, on: db)
    }

    /// The groups each record requires, for a page of records at once.
    static func groups(of ids: [UUID], on db: any Database) async throws -> [UUID: Set<UUID>] {
        guard !ids.isEmpty else { return [:] }
        return try await RecordGroup.query(on: db).filter(\.$recordID ~~ ids).all()
            .reduce(into: [UUID: Set<UUID>]()) { $0[$1.recordID, default: []].insert($1.$group.id) }
    }
}
