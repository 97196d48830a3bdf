import Fluent
import InspectorateCore
import Vapor

/// A cycle as the API shows it.
struct CycleDTO: Content {
    var code: String
    var title: String
    var framework: String
    var selfAssessmentDue, fieldworkStart, fieldworkEnd, moderationDue, publication: String
    var organisations: Int
    var version: Int
    var status: CycleStatus
    /// The day each tier's minimum is required in this cycle, by tier code.
    var deadlines: [String: String]

    enum CodingKeys: String, CodingKey {
        case code, title, framework, organisations, version, publication, status, deadlines
        case selfAssessmentDue = "self_assessment_due"
        case fieldworkStart = "fieldwork_start"
        case fieldworkEnd = "fieldwork_end"
        case moderationDue = "moderation_due"
    }

    init(_ cycle: Cycle, organisations: Int) {
        code = cycle.code
        title = cycle.title
        framework = cycle.framework.reference
        selfAssessmentDue = cycle.selfAssessmentDue
        fieldworkStart = cycle.fieldworkStart
        fieldworkEnd = cycle.fieldworkEnd
        moderationDue = cycle.moderationDue
        publication = cycle.publication
        self.organisations = organisations
        version = cycle.version
        status = cycle.status
        let framework = try? cycle.framework.framework()
        deadlines = Dictionary(uniqueKeysWithValues: (framework?.tiers ?? []).map { ($0.code, cycle.deadline(of: $0)) })
    }
}
