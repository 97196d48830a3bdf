import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// What is due from a person across open cycles (`MyWork` decides; this reads the facts):
/// one query over the cycles' organisations within the person's scope.
enum MyWorkService {
    static func items(for principal: Principal, on db: any Database) async throws -> [WorkItem] {
        let scope = AccessRule.organisationScope(for: principal)
        if scope == .nothing { return [] }
        var conditions: [SQLQueryString] = ["c.status = \(bind: CycleStatus.open.rawValue)"]
        if case .only(let organisationID) = scope { conditions.append("o.id = \(bind: organisationID)") }
        let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
        let found = try await BulkRead.rows(
            SQLQueryString(
                """
                SELECT c.code AS cycle_code, c.title, c.self_assessment_due, c.fieldwork_start, c.fieldwork_end, c.moderation_due,
                       c.publication, o.id AS organisation_id, o.code, o.name, co.tier_code,
                       s.status AS self_status, i.status AS inspection_status
                FROM cycles c
                JOIN cycle_organisations co ON co.cycle_id = c.id
                JOIN organisations o ON o.id = co.organisation_id
                LEFT JOIN assessments s ON s.cycle_id = c.id AND s.organisation_id = o.id AND s.kind = \(bind: AssessmentKind.selfAssessment.rawValue)
                LEFT JOIN assessments i ON i.cycle_id = c.id AND i.organisation_id = o.id AND i.kind = \(bind: AssessmentKind.inspection.rawValue)
                WHERE \(whereClause)
                """), on: db)
        let candidates = try found.map { row in
            WorkCandidate(
                cycleCode: try row.decode(column: "cycle_code", as: String.self),
                cycleTitle: try row.decode(column: "title", as: String.self),
                organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                organisationCode: try row.decode(column: "code", as: String.self),
                organisationName: try row.decode(column: "name", as: String.self),
                selfAssessment: try row.decode(column: "self_status", as: String?.self).flatMap(AssessmentStatus.init(rawValue:)),
                inspection: try row.decode(column: "inspection_status", as: String?.self).flatMap(AssessmentStatus.init(rawValue:)),
                tierSet: try row.decode(column: "tier_code", as: String?.self) != nil,
                dates: CycleDates(
                    selfAssessmentDue: try row.decode(column: "self_assessment_due", as: String.self),
                    fieldworkStart: try row.decode(column: "fieldwork_start", as: String.self),
                    fieldworkEnd: try row.decode(column: "fieldwork_end", as: String.self),
                    moderationDue: try row.decode(column: "moderation_due", as: String.self),
                    publication: try row.decode(column: "publication", as: String.self)))
        }
        return MyWork.items(for: principal, candidates: candidates)
    }

    /// The page (or API) a work item is done on.
    static func link(of item: WorkItem) -> String {
        switch item.assessment {
        case .some(let kind): SiteURL.assessment(.value(item.cycleCode), .value(item.organisationCode), .value(kind)).path
        case .none: SiteURL.scorecard(.value(item.cycleCode), .value(item.organisationCode)).path
        }
    }
}
