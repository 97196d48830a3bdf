import Fluent
import Vapor
import InspectorateCore

enum RiskTierService {
    /// Sets an organisation's risk tier for a cycle, keeping the change in its history. The
    /// rationale is marked information: the scheme's default marking unless one is chosen.
    static func assign(tier: String?, rationale: String?, marking: String?, descriptors: String? = nil, groups: String? = nil, to member: CycleOrganisation,
                       in cycle: Cycle, reader: Reader, actor: AuditActor, on db: any Database) async throws -> RiskTierChange {
        var errors = ValidationErrors()
        let framework = try await cycle.$framework.get(on: db).framework()
        let tierCode = (tier ?? "").trimmingCharacters(in: .whitespaces)
        if framework.tier(tierCode) == nil {
            errors.add("tier", "Choose one of the framework's tiers: \(framework.tiers.map(\.code).joined(separator: ", "))")
        }
        let reason = (rationale ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.isEmpty { errors.add("rationale", "Give the rationale for this tier: the assessment of risk it rests on") }
        let chosen = (marking ?? "").isEmpty ? reader.scheme.defaultMarking(for: .riskTierRationale).level : marking
        let checked = reader.checkMarking(chosen, descriptors: descriptors, errors: &errors)
        let needToKnow = NeedToKnow.check(NeedToKnow.parse(groups, errors: &errors), reader: reader, errors: &errors)
        try errors.throwIfAny()
        let change = RiskTierChange()
        change.$cycle.id = try cycle.requireID()
        change.$organisation.id = member.$organisation.id
        change.fromTier = member.tierCode
        change.toTier = tierCode
        change.rationale = reason
        change.marking = checked!.level
        change.markingDescriptors = checked!.storedDescriptors
        change.$changedBy.id = reader.user.id
        change.changedAt = Date()
        try await Audit.transaction(on: db, actor: actor) { tx, audit in
            try await change.create(on: tx)
            try await NeedToKnow.store(needToKnow, type: .riskTierRationale, id: change.id!, on: tx)
            try await PictureCache.invalidate(cycleID: cycle.requireID(), on: tx)
            try await audit.append(AuditEvent(action: "tier.set", recordType: RecordType.riskTierRationale.rawValue, recordID: change.id!.uuidString,
                                              organisationID: member.$organisation.id,
                                              detail: "\(cycle.code): \(member.tierCode ?? "none") to \(tierCode) [\(checked!)]"))
            try await CycleOrganisation.query(on: tx).filter(\.$id == member.requireID()).set(\.$tierCode, to: tierCode).update()
            // A new tier changes the minimums every assessment is measured against.
            for assessment in try await Assessment.query(on: tx).filter(\.$cycle.$id == cycle.requireID())
                .filter(\.$organisation.$id == member.$organisation.id).all() {
                try await AssessmentService.refreshResults(assessment, framework: framework, tier: framework.tier(tierCode), on: tx)
            }
        }
        member.tierCode = tierCode
        return change
    }

    /// The changes whose rationale the reader may read, each read recorded in the audit
    /// trail; the others are left out, as if they were not there.
    static func history(of member: CycleOrganisation, in cycle: Cycle, reader: Reader, actor: AuditActor,
                        on db: any Database) async throws -> [RiskTierChange] {
        guard AccessRule.canReadTierRationale(reader.principal) else { return [] }
        let changes = try await RiskTierChange.query(on: db)
            .filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$organisation.$id == member.$organisation.id)
            .with(\.$changedBy)
            .sort(\.$changedAt, .descending)
            .all()
        let groups = try await NeedToKnow.groups(of: changes.compactMap(\.id), on: db)
        let readable = changes.filter {
            reader.canRead(MarkedRecord(marking: $0.markingValue, requiredGroups: groups[$0.id!] ?? [], organisationID: $0.$organisation.id))
        }
        if !readable.isEmpty {
            try await Audit.transaction(on: db, actor: actor) { _, audit in
                for change in readable {
                    try await audit.append(AuditEvent(action: "tier-rationale.read", recordType: RecordType.riskTierRationale.rawValue,
                                                      recordID: change.id!.uuidString, organisationID: change.$organisation.id,
                                                      detail: "\(cycle.code) [\(change.markingValue)]"))
                }
            }
        }
        return readable
    }
}
