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

    enum CodingKeys: String, CodingKey {
        case code, title, framework, organisations, version, publication
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
    }
}
