import Fluent
import InspectorateCore
import Vapor

extension MarkedRecord {
    func readable(by reader: Reader) -> NarrativeAccess {
        NarrativeAccess(record: self, readable: reader.canRead(self))
    }
}

/// Whether a reader may read an assessment's narratives and rationales, and their marking.
struct NarrativeAccess: Sendable {
    /// The narratives as a marked record: marking, need-to-know groups, organisation.
    var record: MarkedRecord
    var readable: Bool

    var marking: Marking { record.marking }

    /// Decides, and records the read (or the refusal) in the audit trail. An assessment not
    /// yet stored has no narratives to read, so nothing is recorded.
    static func check(_ assessment: Assessment, reader: Reader, caller: Caller, on db: any Database) async throws -> NarrativeAccess {
        let record = try await assessment.narrativeRecord(in: reader.scheme, on: db)
        let readable = reader.canRead(record)
        if let id = assessment.id {
            try await Audit.record(
                AuditEvent(
                    action: "narratives.read", recordType: RecordType.inspectionNarrative.rawValue,
                    recordID: id.uuidString, organisationID: assessment.$organisation.id,
                    outcome: readable ? .success : .denied,
                    detail: "\(assessment.kind.rawValue) [\(record.marking)]"), caller: caller, on: db)
        }
        return NarrativeAccess(record: record, readable: readable)
    }

    /// Narrative fields nobody may change without being able to read them.
    func requireReadable(changing narrative: String?, _ rationale: String?) throws {
        guard readable || (narrative == nil && rationale == nil) else {
            throw DomainError.forbidden(
                reason: "The narratives are marked \(marking); your vetting and need-to-know groups do not cover it",
                field: narrative != nil ? "narrative" : "rationale")
        }
    }
}
