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
        let userID = user?.id
        let currentByAssessment = Dictionary(grouping: current, by: { $0.$assessment.id })
        outcome = try await Audit.transaction(on: db, actor: actor) { tx, audit in
            var outcome = counted
            var done = 0
            let now = Date()
            // New assessments, judgements and history go in as multi-row INSERTs; the
            // rarer changes to existing judgements are written one by one with their history.
            var ids = OrderedIDs()
            var newAssessments: [[any Encodable & Sendable]] = []
            var newJudgements: [[any Encodable & Sendable]] = []
            var history: [[any Encodable & Sendable]] = []
            for (code, lines) in grouped.sorted(by: { $0.key < $1.key }) {
                let member = byCode[code]!
                let found = assessments[member.$organisation.id]
                let assessmentID = found?.id ?? ids.next()
                var levels: CriterionLevels = [:]
                for judgement in currentByAssessment[assessmentID] ?? [] {
                    if let level = judgement.level { levels[judgement.criterionCode] = level }
                }
                for row in lines {
                    levels[row.criterion] = row.level
                    if let previous = found.flatMap({ known["\($0.id!)\u{1F}\(row.criterion)"] }) {
                        let changed = previous.level != row.level || (row.narrative != nil && row.narrative != previous.narrative)
                            || (row.rationale != nil && row.rationale != previous.rationale)
                        if !changed { outcome.unchanged += 1; continue }
                        outcome.updated += 1
                        if dryRun { continue }
                        history.append([ids.next(), assessmentID, row.criterion, "level", previous.level.map(String.init), String(row.level),
                                        "bulk import, line \(row.line)", userID, now])
                        previous.level = row.level
                        if let narrative = row.narrative { previous.narrative = narrative }
                        if let rationale = row.rationale { previous.rationale = rationale }
                        previous.version += 1
                        previous.updatedAt = now
                        previous.$updatedBy.id = userID
                        try await previous.save(on: tx)
                    } else {
                        outcome.created += 1
                        if dryRun { continue }
                        newJudgements.append([ids.next(), assessmentID, row.criterion, row.level, row.narrative ?? "", row.rationale ?? "", 1, userID, now])
                        history.append([ids.next(), assessmentID, row.criterion, "level", String?.none, String(row.level),
                                        "bulk import, line \(row.line)", userID, now])
                    }
                }
                done += lines.count
                if done % 1000 < lines.count { progress(done / 2, rows.count) }
                if dryRun { continue }
                // Results are computed here from the rows in hand, not read back.
                let result = framework.result(for: levels, tier: member.tierCode.flatMap(framework.tier))
                let json = try AssessmentService.encodeAreaLevels(result.areaLevels)
                if let found {
                    try await Assessment.query(on: tx).filter(\.$id == found.requireID())
                        .set(\.$areaLevelsJSON, to: json).set(\.$overallStage, to: result.overallStage).set(\.$meetsMinimum, to: result.meetsMinimum)
                        .update()
                } else {
                    newAssessments.append([assessmentID, cycleID, member.$organisation.id, kind.rawValue, AssessmentStatus.draft.rawValue, json,
                                           result.overallStage, result.meetsMinimum, 1, now, now, ""])
                }
            }
            if !dryRun {
                let total = rows.count
                try await BulkInsert.rows(into: Assessment.schema, columns: ["id", "cycle_id", "organisation_id", "kind", "status", "area_levels",
                                                                               "overall_stage", "meets_minimum", "version", "created_at", "updated_at",
                                                                               "narrative_descriptors"], values: newAssessments, on: tx)
                try await BulkInsert.rows(into: Judgement.schema, columns: ["id", "assessment_id", "criterion_code", "level", "narrative", "rationale",
                                                                             "version", "updated_by", "updated_at"], values: newJudgements, on: tx) { written in
                    progress(total / 2 + written / 4, total)
                }
                try await BulkInsert.rows(into: AssessmentHistory.schema, columns: ["id", "assessment_id", "criterion_code", "field", "old_value",
                                                                                     "new_value", "reason", "changed_by", "changed_at"], values: history, on: tx) { written in
                    progress(total / 2 + newJudgements.count / 4 + written / 4, total)
                }
                try await PictureCache.invalidate(cycleID: cycleID, on: tx)
                try await audit.append(AuditEvent(action: "judgements.import", recordType: "cycle", recordID: cycleID.uuidString,
                                                  detail: "\(kind.rawValue): \(outcome.rows) rows, \(outcome.created) created, \(outcome.updated) updated"))
            }
            progress(rows.count, rows.count)
            return outcome
        }
        return outcome
    }
}
