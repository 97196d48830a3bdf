import Fluent
import InspectorateCore
import Vapor

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
