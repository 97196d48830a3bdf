import Fluent
import Foundation
import InspectorateCore
import SQLKit

/// A cycle's organisation and one of its assessments, as one reader may see them: what
/// every path (page, API, command line) opens before reading or writing an assessment.
struct AssessmentInCycle: Sendable {
    let cycle: Cycle
    let member: CycleOrganisation
    let framework: Framework
    /// Stored, or (before its first write) an empty draft held in memory: reading never writes.
    let assessment: Assessment

    var organisationID: UUID { member.$organisation.id }

    /// The assessment as the workflow sees it.
    var state: AssessmentState {
        AssessmentState(kind: assessment.kind, status: assessment.status, organisationID: organisationID, cycle: cycle.status)
    }

    /// Throws the refusal of `action` by `reader`, saying what role, state or vetting it
    /// needs (`AssessmentWorkflow.refusal`, the one rule), after recording it in the trail.
    /// - Returns: whether the reader may read the narratives, for what the action answers.
    @discardableResult
    func require(_ action: AssessmentAction, by reader: Reader, caller: Caller, on db: any Database) async throws -> NarrativeClearance {
        let narratives = try await assessment.narrativeRecord(in: reader.scheme, on: db)
        let clearance = NarrativeClearance(readable: reader.canRead(narratives), marking: narratives.marking.description)
        guard let refusal = AssessmentWorkflow.refusal(of: action, on: state, by: reader.principal, narratives: clearance) else {
            return clearance
        }
        try await Audit.record(
            AuditEvent(
                action: "assessment.refused", recordType: "assessment", recordID: assessment.id?.uuidString ?? "",
                organisationID: organisationID, outcome: .denied, detail: "\(assessment.kind.rawValue): \(refusal)"),
            caller: caller, on: db)
        throw refusal
    }
}

/// Opens cycles' organisations and assessments for a reader, with the access rule applied
/// the same way on every path.
enum AssessmentAccess {
    /// A cycle and one organisation in it, if this person may see them (404 otherwise).
    static func member(
        cycle code: String, organisation: String, scope: OrganisationScope, on db: any Database
    ) async throws
        -> (Cycle, CycleOrganisation, Framework)
    {
        let cycle = try await CycleService.require(code: code, scope: scope, on: db)
        let member = try await CycleService.member(of: cycle, organisation: organisation, scope: scope, on: db)
        return (cycle, member, try cycle.framework.framework())
    }

    /// The assessment, if this person may see it: 404 for an organisation or assessment
    /// hidden from them, exactly as for one that does not exist.
    static func open(
        cycle code: String, organisation: String, kind: AssessmentKind, principal: Principal, on db: any Database
    ) async throws
        -> AssessmentInCycle
    {
        let scope = AccessRule.organisationScope(for: principal)
        let (cycle, member, framework) = try await member(cycle: code, organisation: organisation, scope: scope, on: db)
        let assessment = try await AssessmentService.find(kind, for: member, in: cycle, on: db)
        guard AccessRule.canView(assessment: kind, status: assessment.status, organisationID: member.$organisation.id, principal: principal)
        else {
            throw DomainError.notFound("assessment")
        }
        return AssessmentInCycle(cycle: cycle, member: member, framework: framework, assessment: assessment)
    }
}
