import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// Moving many assessments through the workflow in one action: each checked against the
/// one rule (`AssessmentWorkflow.refusal`) and for completeness, then all moved in one
/// transaction, or none when any is refused (every refusal listed).
enum BulkWorkflow {
    struct Moved: Content {
        var organisation: String
        var from: AssessmentStatus
        var to: AssessmentStatus
    }

    struct Outcome: Content {
        var moved: [Moved]
    }

    /// Which assessments: those of the organisations named, or every one in a status.
    enum Selection: Sendable {
        case organisations([String])
        case inStatus(AssessmentStatus)
    }

    /// - Throws: `DomainError.refused` on `assessments` listing, per organisation, why it
    ///   cannot be moved (nothing is moved then); `FieldError` for an empty selection.
    static func move(
        in cycle: Cycle, kind: AssessmentKind, selection: Selection, to target: AssessmentStatus, reason: String?,
        reader: Reader, caller: Caller, on db: any Database
    ) async throws -> Outcome {
        let scope = AccessRule.organisationScope(for: reader.principal)
        let framework = try cycle.framework.framework()
        let members = try await CycleService.members(of: cycle, scope: scope, on: db)
        let cycleID = try cycle.requireID()
        let stored = try await Assessment.query(on: db).filter(\.$cycle.$id == cycleID).filter(\.$kind == kind).with(\.$judgements).all()
        let byOrganisation = Dictionary(stored.map { ($0.$organisation.id, $0) }, uniquingKeysWith: { a, _ in a })
        var chosen: [(CycleOrganisation, Assessment)] = []
        var refusals: [String] = []
        // An assessment the reader may not see is answered as one that does not exist: the
        // refusal must not tell an organisation where its unpublished inspection stands.
        let visible = { (member: CycleOrganisation, assessment: Assessment) in
            AccessRule.canView(
                assessment: kind, status: assessment.status, organisationID: member.$organisation.id, principal: reader.principal)
        }
        switch selection {
        case .organisations(let given):
            // Codes, names and aliases, as imports take them; each organisation once.
            let index = try await OrganisationService.nameIndex(of: members.map(\.organisation), on: db)
            var seen = Set<String>()
            for code in given {
                let member: CycleOrganisation? =
                    switch index.match(code) {
                    case .found(let position): members[position]
                    case .ambiguous, .unknown: nil
                    }
                if let member, !seen.insert(member.organisation.code).inserted { continue }
                let assessment = member.map {
                    byOrganisation[$0.$organisation.id] ?? Assessment(cycleID: cycleID, organisationID: $0.$organisation.id, kind: kind)
                }
                guard let member, let assessment, visible(member, assessment) else {
                    refusals.append("\(code): no \(kind.displayName.lowercased()) you may see in this cycle has that code")
                    continue
                }
                chosen.append((member, assessment))
            }
        case .inStatus(let status):
            for member in members {
                guard let assessment = byOrganisation[member.$organisation.id], assessment.status == status, visible(member, assessment)
                else {
                    continue
                }
                chosen.append((member, assessment))
            }
        }
        if chosen.isEmpty && refusals.isEmpty {
            switch selection {
            case .organisations: throw FieldError("organisations", "Choose at least one assessment to move")
            case .inStatus(let status): throw FieldError("from", "No \(kind.displayName.lowercased()) you may see is \(status.rawValue)")
            }
        }
        let groups = try await NeedToKnow.narrativeGroups(cycle: cycleID, kind: kind, on: db)
        for (member, assessment) in chosen {
            let state = AssessmentState(kind: kind, status: assessment.status, organisationID: member.$organisation.id, cycle: cycle.status)
            let narratives = MarkedRecord(
                marking: assessment.narrativeMarking(in: reader.scheme), requiredGroups: assessment.id.flatMap { groups[$0] } ?? [],
                organisationID: member.$organisation.id)
            let clearance = NarrativeClearance(readable: reader.canRead(narratives), marking: narratives.marking.description)
            if let refusal = AssessmentWorkflow.refusal(
                of: .move(to: target, reason: reason), on: state, by: reader.principal, narratives: clearance)
            {
                refusals.append("\(member.organisation.code): \(refusal)")
                continue
            }
            // An assessment not yet started was made here, not loaded: it has no judgements.
            let entries = Dictionary(assessment.loadedJudgements.map { ($0.criterionCode, $0.entry) }, uniquingKeysWith: { a, _ in a })
            let missing = AssessmentWorkflow.missing(for: framework, entries: entries, narratives: clearance)
            if target.order > assessment.status.order && !missing.isEmpty {
                refusals.append(
                    "\(member.organisation.code): "
                        + (clearance.readable ? "\(missing.count) criteria are not complete" : "it is not complete"))
            }
        }
        if !refusals.isEmpty {
            try await Audit.record(
                AuditEvent(
                    action: "assessment.bulk-transition", recordType: "cycle", recordID: cycleID.uuidString, outcome: .denied,
                    detail: "\(kind.rawValue) to \(target.rawValue): \(refusals.count) refused"), caller: caller, on: db)
            throw DomainError.refused(
                field: "assessments", message: "\(refusals.count) cannot be moved; nothing was moved",
                needed: refusals)
        }
        let moves = chosen
        return try await Audit.transaction(on: db, caller: caller) { tx, audit in
            var moved: [Moved] = []
            for (member, assessment) in moves {
                let now = caller.now
                let from = assessment.status
                let id = try await AssessmentService.store(assessment, at: now, on: tx)
                guard
                    try await VersionedUpdate.apply(
                        table: Assessment.schema, id: id, expectedVersion: assessment.version, values: [("status", target.rawValue)],
                        at: now, on: tx)
                else {
                    throw DomainError.stale(current: StaleAssessment(status: from, version: assessment.version))
                }
                try await AssessmentHistory(
                    assessmentID: id, criterion: nil, field: "status", old: from.rawValue, new: target.rawValue, reason: reason,
                    by: reader.principal.userID, at: now
                ).create(on: tx)
                try await audit.append(
                    AuditEvent(
                        action: "assessment.transition", recordType: "assessment", recordID: id.uuidString,
                        organisationID: member.$organisation.id,
                        detail: "\(kind.rawValue): \(from.rawValue) to \(target.rawValue) (with \(moves.count - 1) others)"))
                moved.append(Moved(organisation: member.organisation.code, from: from, to: target))
            }
            try await PictureCache.invalidate(cycleID: cycleID, on: tx)
            return Outcome(moved: moved)
        }
    }
}
