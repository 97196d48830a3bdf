import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// Starts each organisation of a cycle from where the cycle before ended: its risk tier
/// (with a history line saying where from, the rationale under its own marking) and its
/// final assessment's judgements, copied into a draft through the one `JudgementWriter`
/// with their narratives' marking, descriptors and need-to-know groups. Copies are drafts:
/// they count as inspected only once someone finalises them. What differs (framework
/// changes, criteria that no longer exist) is reported.
enum CarryForward {
    struct OrganisationReport: Content {
        var organisation: String
        var copied: Int
        var skipped: [String]
        var tier: String?
        var note: String?
    }

    struct Report: Content {
        var from: String
        var to: String
        var assessment: AssessmentKind
        var frameworkChanges: [FrameworkChangeDTO]
        var organisations: [OrganisationReport]
        enum CodingKeys: String, CodingKey {
            case from, to, assessment, organisations
            case frameworkChanges = "framework_changes"
        }
    }

    /// - Throws: `FieldError` when the cycle follows none; `DomainError` refusals from the
    ///   workflow rule (who may carry forward, a closed cycle).
    static func run(into cycle: Cycle, kind: AssessmentKind, reader: Reader, caller: Caller, on db: any Database) async throws -> Report {
        guard let previous = try await cycle.$previous.get(on: db) else {
            throw FieldError("previous", "This cycle does not follow another, so there is nothing to carry forward")
        }
        guard AccessRule.canCreateCycles(reader.principal) else {
            throw DomainError.forbidden(reason: "Cycles are carried forward by administrators and lead inspectors")
        }
        if cycle.status == .closed {
            throw DomainError.refused(field: "cycle", message: "The cycle is closed: nothing in it changes")
        }
        let oldFramework = try await previous.$framework.get(on: db).framework()
        let newFramework = try await cycle.$framework.get(on: db).framework()
        let previousID = try previous.requireID()
        let oldFinal = try await Assessment.query(on: db).filter(\.$cycle.$id == previousID).filter(\.$kind == kind)
            .filter(\.$status == .final).with(\.$judgements).all()
        let byOrganisation = Dictionary(oldFinal.map { ($0.$organisation.id, $0) }, uniquingKeysWith: { a, _ in a })
        let oldGroups = try await NeedToKnow.narrativeGroups(cycle: previousID, kind: kind, on: db)
        let report: [OrganisationReport] = try await Audit.transaction(on: db, caller: caller) { tx, audit in
            var context = try await JudgementWriter.Context.load(
                cycle: cycle, kind: kind, writer: reader, reason: "carried forward from \(previous.code)", historyPerField: false,
                now: caller.now, on: tx)
            context.carryingForward = true
            let tiers = try await carryTiers(from: previous, into: cycle, context: context, caller: caller, on: tx)
            for (index, organisationID) in context.organisationIDs.enumerated() {
                if let tier = tiers[organisationID] { context.tiers[index] = newFramework.tier(tier) }
            }
            var reports: [OrganisationReport] = []
            var rows: [JudgementWriter.Row] = []
            let position = Dictionary(newFramework.criteria.enumerated().map { ($1.criterion.code, $0) }, uniquingKeysWith: { a, _ in a })
            for (organisation, code) in context.codes.enumerated() {
                let organisationID = context.organisationIDs[organisation]
                let tier = tiers[organisationID]
                guard let source = byOrganisation[organisationID] else {
                    reports.append(
                        .init(
                            organisation: code, copied: 0, skipped: [], tier: tier,
                            note: "no final \(kind.displayName.lowercased()) in \(previous.code)"))
                    continue
                }
                if context.assessments[organisationID] != nil {
                    reports.append(
                        .init(
                            organisation: code, copied: 0, skipped: [], tier: tier, note: "already started in \(cycle.code); left as it is")
                    )
                    continue
                }
                // The copy's narratives keep the source's marking, descriptors and groups.
                let target = Assessment(cycleID: context.cycleID, organisationID: organisationID, kind: kind)
                target.narrativeMarkingLevel = source.narrativeMarkingLevel
                target.narrativeDescriptors = source.narrativeDescriptors
                let targetID = try await AssessmentService.store(target, at: caller.now, on: tx)
                try await tx.sql.raw(
                    """
                    UPDATE assessments SET narrative_marking = \(bind: source.narrativeMarkingLevel), narrative_descriptors = \(bind: source.narrativeDescriptors)
                    WHERE id = \(bind: targetID)
                    """
                ).run()
                let groups = source.id.flatMap { oldGroups[$0] } ?? []
                try await NeedToKnow.store(groups, type: .inspectionNarrative, id: targetID, on: tx)
                context.assessments[organisationID] = JudgementWriter.Existing(
                    id: targetID, status: .draft,
                    narratives: MarkedRecord(
                        marking: source.narrativeMarking(in: reader.scheme), requiredGroups: groups, organisationID: organisationID))
                var copied = 0
                var skipped: [String] = []
                for judgement in source.loadedJudgements.sorted(by: { $0.criterionCode < $1.criterionCode }) {
                    guard let criterion = position[judgement.criterionCode], judgement.level.map(newFramework.levels.contains) ?? true
                    else {
                        skipped.append(judgement.criterionCode)
                        continue
                    }
                    rows.append(
                        JudgementWriter.Row(
                            line: nil, organisation: organisation, criterion: criterion, level: .some(judgement.level),
                            narrative: judgement.narrative, rationale: judgement.rationale, expectedVersion: nil, reason: nil))
                    copied += 1
                }
                reports.append(.init(organisation: code, copied: copied, skipped: skipped, tier: tier, note: nil))
            }
            let writer = JudgementWriter(context: context, writing: true, on: tx)
            for batch in rows.chunks(of: context.batchSize) { try await writer.write(Array(batch)) }
            do {
                try await writer.finish()
            } catch let refusal as JudgementWriter.Refusal {
                throw refusal.error
            }
            try await PictureCache.invalidate(cycleID: context.cycleID, on: tx)
            try await audit.append(
                AuditEvent(
                    action: "cycle.carry-forward", recordType: "cycle", recordID: context.cycleID.uuidString,
                    detail:
                        "\(kind.rawValue) from \(previous.code): \(reports.map(\.copied).reduce(0, +)) judgements into \(reports.filter { $0.copied > 0 }.count) organisations; \(tiers.count) tiers"
                ))
            return reports
        }
        return Report(
            from: previous.code, to: cycle.code, assessment: kind,
            frameworkChanges: FrameworkDiff.compare(oldFramework, newFramework).map(FrameworkChangeDTO.init),
            organisations: report)
    }

    /// Gives each organisation without a tier in `cycle` the tier it ended `previous` with,
    /// if the new framework has that tier: a tier change saying where it came from, its
    /// rationale copied under the same marking, descriptors and groups. Returns the tiers set.
    private static func carryTiers(
        from previous: Cycle, into cycle: Cycle, context: JudgementWriter.Context, caller: Caller, on tx: any Database
    ) async throws -> [UUID: String] {
        let framework = context.framework
        let before = try await CycleOrganisation.query(on: tx).filter(\.$cycle.$id == previous.requireID()).all()
        let previousTier = Dictionary(
            before.compactMap { member in member.tierCode.map { (member.$organisation.id, $0) } }, uniquingKeysWith: { a, _ in a })
        let now = try await CycleOrganisation.query(on: tx).filter(\.$cycle.$id == context.cycleID).all()
        var set: [UUID: String] = [:]
        for member in now where member.tierCode == nil {
            let organisationID = member.$organisation.id
            guard context.organisationIDs.contains(organisationID), let tier = previousTier[organisationID], framework.tier(tier) != nil
            else { continue }
            let last = try await RiskTierChange.query(on: tx).filter(\.$cycle.$id == previous.requireID())
                .filter(\.$organisation.$id == organisationID).sort(\.$changedAt, .descending).first()
            let change = RiskTierChange()
            change.id = UUID()
            change.$cycle.id = context.cycleID
            change.$organisation.id = organisationID
            change.fromTier = nil
            change.toTier = tier
            change.rationale = "Carried forward from \(previous.code)" + (last.map { ": \($0.rationale)" } ?? "")
            change.marking = last?.marking ?? context.writer.scheme.defaultMarking(for: .riskTierRationale).level
            change.markingDescriptors = last?.markingDescriptors ?? ""
            change.$changedBy.id = context.writer.principal.userID
            change.changedAt = caller.now
            try await change.create(on: tx)
            if let last, let lastID = last.id {
                let groups = try await NeedToKnow.groups(of: [lastID], on: tx)[lastID] ?? []
                try await NeedToKnow.store(groups, type: .riskTierRationale, id: try change.requireID(), on: tx)
            }
            try await CycleOrganisation.query(on: tx).filter(\.$id == member.requireID()).set(\.$tierCode, to: tier).update()
            set[organisationID] = tier
        }
        return set
    }
}
