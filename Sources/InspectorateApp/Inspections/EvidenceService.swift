import Crypto
import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// Evidence files: uploaded by those who may edit the assessment, read by those who may see
/// the assessment and whose vetting covers the file's marking, every read recorded.
enum EvidenceService {
    static func upload(
        criterion: String, title: String?, marking: String?, descriptors: String?, groups: String? = nil, file: UploadedFile?,
        reason: String? = nil, to context: AssessmentInCycle, reader: Reader, policy: UploadPolicy,
        caller: Caller, on db: any Database
    ) async throws -> EvidenceFile {
        let framework = context.framework
        let assessment = context.assessment
        try await context.require(.attachEvidence(reason: reason), by: reader, caller: caller, on: db)
        guard framework.criteria.contains(where: { $0.criterion.code == criterion }) else {
            throw FieldError("criterion", "\(criterion) is not a criterion of \(framework.reference)")
        }
        var errors = ValidationErrors()
        let checked = reader.checkMarking(marking, descriptors: descriptors, errors: &errors)
        let needToKnow = NeedToKnow.check(NeedToKnow.parse(groups, errors: &errors), reader: reader, errors: &errors)
        var contentType = ""
        if let file {
            do { contentType = try policy.check(filename: file.filename, data: file.data) } catch let error as FieldError {
                errors.add(error.field, error.message)
            }
        } else {
            errors.add("file", "Choose a file to upload")
        }
        try errors.throwIfAny()
        guard let file, let checked else { throw FieldError("file", "Choose a file to upload") }
        let evidence = EvidenceFile()
        let evidenceID = UUID()
        evidence.id = evidenceID
        evidence.criterionCode = criterion
        evidence.filename = UploadPolicy.safeFilename(file.filename)
        let trimmed = (title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        evidence.title = trimmed.isEmpty ? evidence.filename : String(trimmed.prefix(200))
        evidence.contentType = contentType
        evidence.size = file.data.count
        evidence.sha256 = Digest.sha256(file.data)
        evidence.content = file.data
        evidence.markingLevel = checked.level
        evidence.markingDescriptors = checked.storedDescriptors
        evidence.$uploadedBy.id = reader.principal.userID
        evidence.uploadedAt = caller.now
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            evidence.$assessment.id = try await AssessmentService.store(assessment, at: evidence.uploadedAt, on: tx)
            try await evidence.create(on: tx)
            try await NeedToKnow.store(needToKnow, type: .evidence, id: evidenceID, on: tx)
            // The history says evidence came, and why; the file's own name and title carry its
            // marking and stay with it.
            try await AssessmentHistory(
                assessmentID: evidence.$assessment.id, criterion: criterion, field: "evidence", old: nil, new: "a file marked \(checked)",
                reason: (reason ?? "").isBlank ? nil : reason, by: reader.principal.userID, at: evidence.uploadedAt
            ).create(on: tx)
            try await audit.append(
                AuditEvent(
                    action: "evidence.upload", recordType: RecordType.evidence.rawValue, recordID: evidenceID.uuidString,
                    organisationID: assessment.$organisation.id,
                    detail: "\(assessment.kind.rawValue) \(criterion): \(evidence.filename) [\(checked)]"))
        }
        return evidence
    }

    static func record(_ file: EvidenceFile, organisationID: UUID, groups: Set<UUID>) -> MarkedRecord {
        MarkedRecord(marking: file.marking, requiredGroups: groups, organisationID: organisationID)
    }

    /// The evidence of an assessment the reader may read, without content.
    static func list(of assessment: Assessment, reader: Reader, on db: any Database) async throws -> [EvidenceFile] {
        guard let assessmentID = assessment.id else { return [] }
        let files = try await EvidenceFile.query(on: db).filter(\.$assessment.$id == assessmentID)
            // Every column but the content: a list never reads the files.
            .field(\.$id).field(\.$assessment.$id).field(\.$criterionCode).field(\.$title).field(\.$filename).field(\.$contentType)
            .field(\.$size).field(\.$sha256).field(\.$markingLevel).field(\.$markingDescriptors).field(\.$uploadedBy.$id).field(
                \.$uploadedAt
            )
            .sort(\.$criterionCode).sort(\.$uploadedAt).all()
        let groups = try await NeedToKnow.groups(of: files.compactMap(\.id), on: db)
        return files.filter { file in
            reader.canRead(record(file, organisationID: assessment.$organisation.id, groups: file.id.flatMap { groups[$0] } ?? []))
        }
    }

    /// One file, if the reader may see its assessment and read its marking: recorded as
    /// read, or as denied and answered with 404 whether or not it exists.
    static func open(_ id: UUID?, reader: Reader, caller: Caller, on db: any Database) async throws -> EvidenceFile {
        guard let id, let file = try await EvidenceFile.query(on: db).filter(\.$id == id).with(\.$assessment).first() else {
            try await Audit.record(
                AuditEvent(
                    action: "evidence.read", recordType: RecordType.evidence.rawValue, recordID: id?.uuidString ?? "",
                    outcome: .denied, detail: "no such file"), caller: caller, on: db)
            throw DomainError.notFound("evidence")
        }
        let assessment = file.assessment
        let organisationID = assessment.$organisation.id
        let visible = AccessRule.canView(
            assessment: assessment.kind, status: assessment.status, organisationID: organisationID, principal: reader.principal)
        let groups = try await NeedToKnow.groups(of: [id], on: db)[id] ?? []
        guard visible, reader.canRead(record(file, organisationID: organisationID, groups: groups)) else {
            try await Audit.record(
                AuditEvent(
                    action: "evidence.read", recordType: RecordType.evidence.rawValue, recordID: id.uuidString,
                    organisationID: organisationID, outcome: .denied,
                    detail: "[\(file.marking)] reader vetting \(reader.vetting.rawValue.uppercased())"), caller: caller, on: db)
            throw DomainError.notFound("evidence")
        }
        try await Audit.record(
            AuditEvent(
                action: "evidence.read", recordType: RecordType.evidence.rawValue, recordID: id.uuidString,
                organisationID: organisationID, detail: "\(file.filename) [\(file.marking)]"), caller: caller, on: db)
        return file
    }

    static func download(_ file: EvidenceFile) -> Response {
        Download.marked(
            content: file.content, contentType: file.contentType, filename: file.filename, sha256: file.sha256, marking: file.marking)
    }
}
