import Fluent
import Vapor
import InspectorateCore

/// Bulk import of judgements from a spreadsheet: planned and checked first, then written
/// in one transaction, so a file with any bad row changes nothing.
enum JudgementImport {
    struct Outcome: Content {
        var rows: Int
        var organisations: Int
        var created: Int
        var updated: Int
        var unchanged: Int
        var dryRun: Bool
        enum CodingKeys: String, CodingKey { case rows, organisations, created, updated, unchanged; case dryRun = "dry_run" }
    }

    static func run(csv text: String, cycle: Cycle, kind: AssessmentKind, dryRun: Bool, by user: User?, actor: AuditActor,
                    progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }, on db: any Database) async throws -> Outcome {
        let framework = try await cycle.$framework.get(on: db).framework()
        let members = try await CycleService.members(of: cycle, scope: .all, on: db)
        let byCode = Dictionary(uniqueKeysWithValues: members.map { ($0.organisation.code, $0) })
        let rows = try JudgementImportPlanner.plan(csv: text, framework: framework, organisations: Set(byCode.keys))
        let grouped = Dictionary(grouping: rows, by: \.organisation)
        // Final assessments are locked: refuse the file before writing anything.
        let cycleID = try cycle.requireID()
        let existing = try await Assessment.query(on: db).filter(\.$cycle.$id == cycleID).filter(\.$kind == kind).all()
        let assessments = Dictionary(uniqueKeysWithValues: existing.map { ($0.$organisation.id, $0) })
        var locked: [JudgementImportPlanner.Problem] = []
        for (code, lines) in grouped where assessments[byCode[code]!.$organisation.id]?.status.isLocked == true {
            locked.append(.init(line: lines.first!.line, message: "the \(kind.displayName.lowercased()) of \(code) is final and locked"))
        }
        if !locked.isEmpty { throw JudgementImportPlanner.Invalid(problems: locked.sorted { ($0.line ?? 0) < ($1.line ?? 0) }) }
        var outcome = Outcome(rows: rows.count, organisations: grouped.count, created: 0, updated: 0, unchanged: 0, dryRun: dryRun)
        let ids = existing.compactMap(\.id)
        let current = ids.isEmpty ? [] : try await Judgement.query(on: db).filter(\.$assessment.$id ~~ ids).all()
        let known = Dictionary(current.map { ("\($0.$assessment.id)\u{1F}\($0.criterionCode)", $0) }, uniquingKeysWith: { a, _ in a })
        let counted = outcome
        outcome = try await Audit.transaction(on: db, actor: actor) { tx, audit in
            var outcome = counted
            var done = 0
            for (code, lines) in grouped.sorted(by: { $0.key < $1.key }) {
                let member = byCode[code]!
                let assessment: Assessment
                if let found = assessments[member.$organisation.id] { assessment = found } else {
                    assessment = Assessment(cycleID: cycleID, organisationID: member.$organisation.id, kind: kind)
                    if !dryRun { try await assessment.create(on: tx) }
                }
                for row in lines {
                    let previous = assessment.id.flatMap { known["\($0)\u{1F}\(row.criterion)"] }
                    if let previous {
                        let changed = previous.level != row.level || (row.narrative != nil && row.narrative != previous.narrative)
                            || (row.rationale != nil && row.rationale != previous.rationale)
                        if !changed { outcome.unchanged += 1; continue }
                        outcome.updated += 1
                        if dryRun { continue }
                        try await AssessmentHistory(assessmentID: try assessment.requireID(), criterion: row.criterion, field: "level",
                                                    old: previous.level.map(String.init), new: String(row.level), reason: "bulk import, line \(row.line)",
                                                    by: user?.id).create(on: tx)
                        previous.level = row.level
                        if let narrative = row.narrative { previous.narrative = narrative }
                        if let rationale = row.rationale { previous.rationale = rationale }
                        previous.version += 1
                        previous.updatedAt = Date()
                        previous.$updatedBy.id = user?.id
                        try await previous.save(on: tx)
                    } else {
                        outcome.created += 1
                        if dryRun { continue }
                        let judgement = Judgement()
                        judgement.$assessment.id = try assessment.requireID()
                        judgement.criterionCode = row.criterion
                        judgement.level = row.level
                        judgement.narrative = row.narrative ?? ""
                        judgement.rationale = row.rationale ?? ""
                        judgement.version = 1
                        judgement.updatedAt = Date()
                        judgement.$updatedBy.id = user?.id
                        try await judgement.create(on: tx)
                        try await AssessmentHistory(assessmentID: try assessment.requireID(), criterion: row.criterion, field: "level",
                                                    old: nil, new: String(row.level), reason: "bulk import, line \(row.line)", by: user?.id).create(on: tx)
                    }
                    done += 1
                    if done % 100 == 0 { progress(done, rows.count) }
                }
                if !dryRun {
                    try await AssessmentService.refreshResults(assessment, framework: framework, tier: member.tierCode.flatMap(framework.tier), on: tx)
                }
            }
            progress(rows.count, rows.count)
            if !dryRun {
                try await audit.append(AuditEvent(action: "judgements.import", recordType: "cycle", recordID: cycleID.uuidString,
                                                  detail: "\(kind.rawValue): \(outcome.rows) rows, \(outcome.created) created, \(outcome.updated) updated"))
            }
            return outcome
        }
        return outcome
    }
}
