import Fluent
import InspectorateCore
import Vapor

/// An evidence file as the API lists it (never its content).
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

    init(_ file: EvidenceFile) throws {
        id = try file.requireID()
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
