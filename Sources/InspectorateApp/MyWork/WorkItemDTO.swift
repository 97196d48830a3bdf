import InspectorateCore
import Vapor

/// One thing due from the caller, as the API gives it: `kind` is complete, moderate,
/// finalise or set_tier; `assessment` is self or inspection (absent for a tier); `due` is a
/// calendar date (YYYY-MM-DD); `link` the page it is done on.
struct WorkItemDTO: Content {
    var kind: WorkKind
    var cycle: String
    var cycleTitle: String
    var organisation: String
    var organisationName: String
    var assessment: AssessmentKind?
    var due: String
    var link: String

    enum CodingKeys: String, CodingKey {
        case kind, cycle, organisation, assessment, due, link
        case cycleTitle = "cycle_title"
        case organisationName = "organisation_name"
    }

    init(_ item: WorkItem) {
        kind = item.kind
        cycle = item.cycleCode
        cycleTitle = item.cycleTitle
        organisation = item.organisationCode
        organisationName = item.organisationName
        assessment = item.assessment
        due = item.due
        link = MyWorkService.link(of: item)
    }
}

/// `GET /api/v1/me/work`: `{"items": [...]}`, earliest due first.
struct WorkListDTO: Content {
    var items: [WorkItemDTO]
}
