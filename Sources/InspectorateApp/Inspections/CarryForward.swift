import Fluent
import InspectorateCore
import Vapor

/// Starts each organisation's assessment in a cycle from its final one in the previous
/// cycle: levels, narratives and rationales copied, status back to draft, and what
/// differs (framework changes, criteria that no longer exist) reported.
enum CarryForward {
    struct OrganisationReport: Content {
        var organisation: String
        var copied: Int
        var skipped: [String]
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

    static func run(into cycle: Cycle, kind: AssessmentKind, by user: User?, caller: Caller, on db: any Database) async throws -> Report {
        guard let previous = try await cycle.$previous.get(on: db) else {
            throw FieldError("previous", "This cycle does not follow another, so there is nothing to carry forward")
        }
        let oldFramework = try await previous.$framework.get(on: db).framework()
        let newFramework = try await cycle.$framework.get(on: db).framework()
        let criteria = Set(newFramework.criteria.map(\.criterion.code))
        let oldFinal = try await Assessment.query(on: db).filter(\.$cycle.$id == previous.requireID()).filter(\.$kind == kind)
            .filter(\.$status == .final).with(\.$judgements).all()
        let byOrganisation = Dictionary(oldFinal.map { ($0.$organisation.id, $0) }, uniquingKeysWith: { a, _ in a })
        let members = try await CycleService.members(of: cycle, scope: .all, on: db)
        let cycleID = try cycle.requireID()
        let existing = try await Assessment.query(on: db).filter(\.$cycle.$id == cycleID).filter(\.$kind == kind).with(\.$judgements).all()
        let started = Dictionary(existing.map { ($0.$organisation.id, $0) }, uniquingKeysWith: { a, _ in a })
        let reports: [OrganisationReport] = try await Audit.transaction(on: db, caller: caller) { tx, audit in
            var reports: [OrganisationReport] = []
            for member in members {
                let code = member.organisation.code
                guard let source = byOrganisation[member.$organisation.id] else {
                    reports.append(
                        .init(
                            organisation: code, copied: 0, skipped: [],
                            note: "no final \(kind.displayName.lowercased()) in \(previous.code)"))
                    continue
                }
                if let current = started[member.$organisation.id], !current.judgements.isEmpty {
                    reports.append(
                        .init(organisation: code, copied: 0, skipped: [], note: "already started in \(cycle.code); left as it is"))
                    continue
                }
                let target =
                    started[member.$organisation.id] ?? Assessment(cycleID: cycleID, organisationID: member.$organisation.id, kind: kind)
                _ = try await AssessmentService.store(target, at: caller.now, on: tx)
                var copied = 0
                var skipped: [String] = []
                for judgement in source.judgements.sorted(by: { $0.criterionCode < $1.criterionCode }) {
                    guard criteria.contains(judgement.criterionCode), judgement.level.map(newFramework.levels.contains) ?? true else {
                        skipped.append(judgement.criterionCode)
                        continue
                    }
                    let copy = Judgement(assessmentID: try target.requireID(), criterion: judgement.criterionCode)
                    copy.level = judgement.level
                    copy.narrative = judgement.narrative
                    copy.rationale = judgement.rationale
                    copy.version = 1
                    copy.updatedAt = caller.now
                    copy.$updatedBy.id = user?.id
                    try await copy.create(on: tx)
                    try await AssessmentHistory(
                        assessmentID: try target.requireID(), criterion: judgement.criterionCode, field: "level",
                        old: nil, new: judgement.level.map(String.init), reason: "carried forward from \(previous.code)",
                        by: user?.id, at: caller.now
                    ).create(on: tx)
                    copied += 1
                }
                try await AssessmentService.refreshResults(
                    target, framework: newFramework, tier: member.tierCode.flatMap(newFramework.tier), on: tx)
                reports.append(.init(organisation: code, copied: copied, skipped: skipped, note: nil))
            }
            try await audit.append(
                AuditEvent(
                    action: "cycle.carry-forward", recordType: "cycle", recordID: cycleID.uuidString,
                    detail:
                        "\(kind.rawValue) from \(previous.code): \(reports.map(\.copied).reduce(0, +)) judgements into \(reports.filter { $0.copied > 0 }.count) organisations"
                ))
            return reports
        }
        return Report(
            from: previous.code, to: cycle.code, assessment: kind,
            frameworkChanges: FrameworkDiff.compare(oldFramework, newFramework).map(FrameworkChangeDTO.init),
            organisations: reports)
    }
}
