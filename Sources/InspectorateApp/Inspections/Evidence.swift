import Crypto
import Fluent
import SQLKit
import Vapor
import InspectorateCore

/// A file of evidence for one criterion of an assessment, under a security marking.
final class EvidenceFile: Model, @unchecked Sendable {
    static let schema = "evidence_files"

    @ID(key: .id) var id: UUID?
    @Parent(key: "assessment_id") var assessment: Assessment
    @Field(key: "criterion_code") var criterionCode: String
    @Field(key: "title") var title: String
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "content") var content: Data
    @Field(key: "marking_level") var markingLevel: String
    @Field(key: "marking_descriptors") var markingDescriptors: String
    @OptionalParent(key: "uploaded_by") var uploadedBy: User?
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}

    var marking: Marking {
        Marking(level: markingLevel, storedDescriptors: markingDescriptors)
    }

}

struct CreateEvidenceFiles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("evidence_files")
            .id()
            .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
            .field("criterion_code", .string, .required)
            .field("title", .string, .required)
            .field("filename", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("content", .data, .required)
            .field("marking_level", .string, .required)
            .field("marking_descriptors", .string, .required)
            .field("uploaded_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("uploaded_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "evidence_files_assessment").on("evidence_files").column("assessment_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("evidence_files").delete()
    }
}

struct EvidenceDTO: Content {
    var id: UUID
    var criterion: String
    var title: String
    var filename: String
    var content_type: String
    var size: Int
    var sha256: String
    var marking: MarkingDTO
    var uploaded_at: Date

    init(_ file: EvidenceFile) {
        id = file.id!
        criterion = file.criterionCode
        title = file.title
        filename = file.filename
        content_type = file.contentType
        size = file.size
        sha256 = file.sha256
        marking = MarkingDTO(file.marking)
        uploaded_at = file.uploadedAt
    }
}

/// Evidence files: uploaded by those who may edit the assessment, read by those who may see
/// the assessment and whose vetting covers the file's marking, every read recorded.
enum EvidenceService {
    static func upload(criterion: String, title: String?, marking: String?, descriptors: String?, groups: String? = nil, file: UploadedFile?,
                       to assessment: Assessment, framework: Framework, reader: Reader, policy: UploadPolicy,
                       actor: AuditActor, on db: any Database) async throws -> EvidenceFile {
        guard framework.criteria.contains(where: { $0.criterion.code == criterion }) else {
            throw AppError.invalid("criterion", "\(criterion) is not a criterion of \(framework.reference)")
        }
        if assessment.status.isLocked { throw AppError.conflict(field: "status", "This assessment is final and locked; it can no longer change") }
        var errors = ValidationErrors()
        let checked = reader.checkMarking(marking, descriptors: descriptors, errors: &errors)
        let needToKnow = NeedToKnow.check(NeedToKnow.parse(groups, errors: &errors), reader: reader, errors: &errors)
        var contentType = ""
        if let file {
            do { contentType = try policy.check(filename: file.filename, data: file.data) } catch let error as FieldError { errors.add(error.field, error.message) }
        } else {
            errors.add("file", "Choose a file to upload")
        }
        try errors.throwIfAny()
        let evidence = EvidenceFile()
        evidence.id = UUID()
        evidence.$assessment.id = try assessment.requireID()
        evidence.criterionCode = criterion
        evidence.filename = UploadPolicy.safeFilename(file!.filename)
        let trimmed = (title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        evidence.title = trimmed.isEmpty ? evidence.filename : String(trimmed.prefix(200))
        evidence.contentType = contentType
        evidence.size = file!.data.count
        evidence.sha256 = SHA256.hash(data: file!.data).map { String(format: "%02x", $0) }.joined()
        evidence.content = file!.data
        evidence.markingLevel = checked!.level
        evidence.markingDescriptors = checked!.storedDescriptors
        evidence.$uploadedBy.id = reader.user.id
        evidence.uploadedAt = Date()
        try await Audit.transaction(on: db, actor: actor) { tx, audit in
            try await evidence.create(on: tx)
            try await NeedToKnow.store(needToKnow, type: .evidence, id: evidence.id!, on: tx)
            try await audit.append(AuditEvent(action: "evidence.upload", recordType: RecordType.evidence.rawValue, recordID: evidence.id!.uuidString,
                                              organisationID: assessment.$organisation.id,
                                              detail: "\(assessment.kind.rawValue) \(criterion): \(evidence.filename) [\(checked!)]"))
        }
        return evidence
    }

    static func record(_ file: EvidenceFile, organisationID: UUID, groups: Set<UUID>) -> MarkedRecord {
        MarkedRecord(marking: file.marking, requiredGroups: groups, organisationID: organisationID)
    }

    /// The evidence of an assessment the reader may read, without content.
    static func list(of assessment: Assessment, reader: Reader, on db: any Database) async throws -> [EvidenceFile] {
        let files = try await EvidenceFile.query(on: db).filter(\.$assessment.$id == assessment.requireID())
            // Every column but the content: a list never reads the files.
            .field(\.$id).field(\.$assessment.$id).field(\.$criterionCode).field(\.$title).field(\.$filename).field(\.$contentType)
            .field(\.$size).field(\.$sha256).field(\.$markingLevel).field(\.$markingDescriptors).field(\.$uploadedBy.$id).field(\.$uploadedAt)
            .sort(\.$criterionCode).sort(\.$uploadedAt).all()
        let groups = try await NeedToKnow.groups(of: files.compactMap(\.id), on: db)
        return files.filter { reader.canRead(record($0, organisationID: assessment.$organisation.id, groups: groups[$0.id!] ?? [])) }
    }

    /// One file, if the reader may see its assessment and read its marking: recorded as
    /// read, or as denied and answered with 404 whether or not it exists.
    static func open(_ id: UUID?, reader: Reader, actor: AuditActor, on db: any Database) async throws -> EvidenceFile {
        guard let id, let file = try await EvidenceFile.query(on: db).filter(\.$id == id).with(\.$assessment).first() else {
            try await Audit.record(AuditEvent(action: "evidence.read", recordType: RecordType.evidence.rawValue, recordID: id?.uuidString ?? "",
                                              outcome: .denied, detail: "no such file"), actor: actor, on: db)
            throw AppError.notFound("evidence")
        }
        let assessment = file.assessment
        let organisationID = assessment.$organisation.id
        let visible = AccessRule.canView(assessment: assessment.kind, status: assessment.status, organisationID: organisationID, principal: reader.principal)
        let groups = try await NeedToKnow.groups(of: [id], on: db)[id] ?? []
        guard visible, reader.canRead(record(file, organisationID: organisationID, groups: groups)) else {
            try await Audit.record(AuditEvent(action: "evidence.read", recordType: RecordType.evidence.rawValue, recordID: id.uuidString,
                                              organisationID: organisationID, outcome: .denied,
                                              detail: "[\(file.marking)] reader vetting \(reader.vetting.rawValue.uppercased())"), actor: actor, on: db)
            throw AppError.notFound("evidence")
        }
        try await Audit.record(AuditEvent(action: "evidence.read", recordType: RecordType.evidence.rawValue, recordID: id.uuidString,
                                          organisationID: organisationID, detail: "\(file.filename) [\(file.marking)]"), actor: actor, on: db)
        return file
    }

    static func download(_ file: EvidenceFile) -> Response {
        MarkedDownload.response(content: file.content, contentType: file.contentType, filename: file.filename, sha256: file.sha256, marking: file.marking)
    }
}
