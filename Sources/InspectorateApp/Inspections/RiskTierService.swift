import Fluent
import InspectorateCore
import Vapor

enum RiskTierService {
    /// Sets an organisation's risk tier for a cycle, keeping the change in its history. The
    /// rationale is marked information: the scheme's default marking unless one is chosen.
    static func assign(
        tier: String?, rationale: String?, marking: String?, descriptors: String? = nil, groups: String? = nil,
        to member: CycleOrganisation,
        in cycle: Cycle, reader: Reader, caller: Caller, on db: any Database
    ) async throws -> RiskTierChange {
        guard AccessRule.canSetRiskTier(reader.principal) else {
            throw DomainError.forbidden(reason: "Risk tiers are set by analysts and lead inspectors")
        }
        if cycle.status == .closed {
            throw DomainError.refused(
                field: "cycle", message: "The cycle is closed: nothing in it changes",
                needed: ["a lead inspector or an administrator reopens the cycle"])
        }
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
        guard let checked else { throw FieldError("marking", "Choose a marking") }
        let change = RiskTierChange()
        change.$cycle.id = try cycle.requireID()
        change.$organisation.id = member.$organisation.id
        change.fromTier = member.tierCode
        change.toTier = tierCode
        change.rationale = reason
        change.marking = checked.level
        change.markingDescriptors = checked.storedDescriptors
        change.$changedBy.id = reader.principal.userID
        change.changedAt = caller.now
        change.id = UUID()
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            try await change.create(on: tx)
            let id = try change.requireID()
            try await NeedToKnow.store(needToKnow, type: .riskTierRationale, id: id, on: tx)
            try await PictureCache.invalidate(cycleID: cycle.requireID(), on: tx)
            try await audit.append(
                AuditEvent(
                    action: "tier.set", recordType: RecordType.riskTierRationale.rawValue, recordID: id.uuidString,
                    organisationID: member.$organisation.id,
                    detail: "\(cycle.code): \(member.tierCode ?? "none") to \(tierCode) [\(checked)]"))
            try await CycleOrganisation.query(on: tx).filter(\.$id == member.requireID()).set(\.$tierCode, to: tierCode).update()
            // A new tier changes the minimums every assessment is measured against.
            for assessment in try await Assessment.query(on: tx).filter(\.$cycle.$id == cycle.requireID())
                .filter(\.$organisation.$id == member.$organisation.id).all()
            {
                try await AssessmentService.refreshResults(assessment, framework: framework, tier: framework.tier(tierCode), on: tx)
            }
        }
        member.tierCode = tierCode
        return change
    }

    /// A tier change as one reader may see it: every change is listed, so the history
    /// agrees with the tier shown; a rationale the reader may not read is withheld.
    struct ReadableChange {
        var change: RiskTierChange
        var rationaleReadable: Bool
    }

    /// Every change, newest first, with its rationale where the reader's vetting and groups
    /// cover it (each such read recorded in the audit trail).
    static func history(
        of member: CycleOrganisation, in cycle: Cycle, reader: Reader, caller: Caller,
        on db: any Database
    ) async throws -> [ReadableChange] {
        guard AccessRule.canReadTierRationale(reader.principal) else { return [] }
        let changes = try await RiskTierChange.query(on: db)
            .filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$organisation.$id == member.$organisation.id)
            .with(\.$changedBy)
            .sort(\.$changedAt, .descending)
            .all()
        let groups = try await NeedToKnow.groups(of: changes.compactMap(\.id), on: db)
        let readable = changes.filter { change in
            reader.canRead(
                MarkedRecord(
                    marking: change.markingValue, requiredGroups: change.id.flatMap { groups[$0] } ?? [],
                    organisationID: change.$organisation.id))
        }
        if !readable.isEmpty {
            try await Audit.transaction(on: db, caller: caller) { _, audit in
                for change in readable {
                    try await audit.append(
                        AuditEvent(
                            action: "tier-rationale.read", recordType: RecordType.riskTierRationale.rawValue,
                            recordID: try change.requireID().uuidString, organisationID: change.$organisation.id,
                            detail: "\(cycle.code) [\(change.markingValue)]"))
                }
            }
        }
        let readableIDs = Set(readable.compactMap(\.id))
        return changes.map { ReadableChange(change: $0, rationaleReadable: $0.id.map(readableIDs.contains) ?? false) }
    }
}
