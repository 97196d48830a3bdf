import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// The audit trail as one reader may see it. Every entry is shown (who, when, what action on
/// which record, the outcome), but the free-text detail of an entry about a marked record (a
/// shared item's title, an evidence file's name, a marking change's reason, a tier's
/// rationale, an assessment's transition reason) is withheld unless the reader's vetting and
/// need-to-know groups cover that record now, as `AccessRule.canRead` decides everywhere
/// else. The page, the CSV and the API all go through here.
enum AuditDetailAccess {
    /// `entries` with the details the reader may not read replaced by a note of the marking.
    static func readable(_ entries: [AuditEntry], reader: Reader, on db: any Database) async throws -> [AuditEntry] {
        let records = try await markedRecords(of: entries, scheme: reader.scheme, on: db)
        return entries.map { entry in
            guard let id = UUID(uuidString: entry.recordID), let record = records[id], !reader.canRead(record) else { return entry }
            var shown = entry
            shown.detail = entry.detail.isEmpty ? "" : "(withheld: marked \(record.marking))"
            return shown
        }
    }

    /// The marked record each entry is about, by id: shared items, evidence files, tier
    /// rationales and assessments' narratives. Entries about anything else carry no marked
    /// detail.
    static func markedRecords(of entries: [AuditEntry], scheme: MarkingScheme, on db: any Database) async throws -> [UUID: MarkedRecord] {
        var ids: [String: [UUID]] = [:]
        for entry in entries {
            guard let id = UUID(uuidString: entry.recordID) else { continue }
            switch entry.recordType {
            case RecordType.sharedDocument.rawValue, RecordType.sharedNote.rawValue, "shared_item": ids["item", default: []].append(id)
            case RecordType.evidence.rawValue: ids["evidence", default: []].append(id)
            case RecordType.riskTierRationale.rawValue: ids["tier", default: []].append(id)
            case RecordType.inspectionNarrative.rawValue, "assessment": ids["assessment", default: []].append(id)
            default: continue
            }
        }
        let all = ids.values.flatMap { $0 }
        guard !all.isEmpty else { return [:] }
        let groups = try await NeedToKnow.groups(of: all, on: db)
        var records: [UUID: MarkedRecord] = [:]
        if let items = ids["item"] {
            for item in try await SharedItem.query(on: db).filter(\.$id ~~ items).all() {
                guard let id = item.id else { continue }
                records[id] = MarkedRecord(
                    marking: item.marking, requiredGroups: (groups[id] ?? []).union([item.$group.id]), expires: item.expiresAt)
            }
        }
        if let files = ids["evidence"] {
            // The files' content is not read: only their marking and whose assessment they are.
            let rows = try await db.sql.raw(
                """
                SELECT e.id, e.marking_level, e.marking_descriptors, a.organisation_id
                FROM evidence_files e JOIN assessments a ON a.id = e.assessment_id
                WHERE e.id IN (\(SQLList(files.map { SQLBind($0) })))
                """
            ).all()
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                records[id] = MarkedRecord(
                    marking: Marking(
                        level: try row.decode(column: "marking_level", as: String.self),
                        storedDescriptors: try row.decode(column: "marking_descriptors", as: String.self)),
                    requiredGroups: groups[id] ?? [], organisationID: try row.decode(column: "organisation_id", as: UUID.self))
            }
        }
        if let changes = ids["tier"] {
            for change in try await RiskTierChange.query(on: db).filter(\.$id ~~ changes).all() {
                guard let id = change.id else { continue }
                records[id] = MarkedRecord(
                    marking: change.markingValue, requiredGroups: groups[id] ?? [], organisationID: change.$organisation.id)
            }
        }
        if let assessments = ids["assessment"] {
            for assessment in try await Assessment.query(on: db).filter(\.$id ~~ assessments).all() {
                guard let id = assessment.id else { continue }
                records[id] = MarkedRecord(
                    marking: assessment.narrativeMarking(in: scheme), requiredGroups: groups[id] ?? [],
                    organisationID: assessment.$organisation.id)
            }
        }
        return records
    }
}
