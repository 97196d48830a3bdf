import Fluent
import Foundation
import InspectorateCore
import SQLKit

/// A statement the writer runs; an update of judgements also checks each row was at the
/// version compared.
struct WriterStatement: Sendable {
    var query: SQLQueryString
    var isVersionedUpdate = false
}

extension JudgementWriter {
    /// Finds or makes the assessment of each organisation the batch touches for the first
    /// time, and loads the judgements an existing one already holds. Returns the statement
    /// that creates the new ones, to run before the batch's judgements.
    func touch(_ batch: [Row]) async throws -> [WriterStatement] {
        var firstTouched: [Int] = []
        for row in batch where assessmentIDs[row.organisation] == nil {
            firstTouched.append(row.organisation)
            let assessmentID: UUID
            if let found = context.assessments[context.organisationIDs[row.organisation]] {
                assessmentID = found.id
            } else {
                assessmentID = ids.next()
                newAssessments.insert(row.organisation)
            }
            assessmentIDs[row.organisation] = assessmentID
            assessmentIDTexts[row.organisation] = assessmentID.uuidString
        }
        let loading = firstTouched.filter { !newAssessments.contains($0) }
        if !loading.isEmpty {
            // Reading on the transaction's connection: the batch before must be written first.
            try await inFlight?.value
            inFlight = nil
            try await loadStored(loading)
        }
        let fresh = firstTouched.filter(newAssessments.contains)
        guard stillWriting, !fresh.isEmpty else { return [] }
        var rows = JSONRows()
        for organisation in fresh {
            guard let id = assessmentIDs[organisation] else { continue }
            rows.row {
                $0.add(id); $0.add(context.organisationIDs[organisation])
            }
        }
        let sql = try db.sql
        let select = rows.select(
            [.uuid, .uuid],
            extra: [
                (context.cycleID, .uuid), (context.kind.rawValue, .text), (AssessmentStatus.draft.rawValue, .text), ("{}", .text),
                (false, .boolean), (1, .integer), (now, .date), (now, .date), ("", .text),
            ], on: sql)
        return [
            WriterStatement(
                query: """
                    INSERT INTO "assessments" ("id", "organisation_id", "cycle_id", "kind", "status", "area_levels", "meets_minimum", "version",
                      "created_at", "updated_at", "narrative_descriptors") \(select)
                    """)
        ]
    }

    func loadStored(_ organisations: [Int]) async throws {
        let criteria = context.criteria
        let position = Dictionary(criteria.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var byAssessment: [UUID: Int] = [:]
        for organisation in organisations { if let id = assessmentIDs[organisation] { byAssessment[id] = organisation } }
        let sql = try db.sql
        for group in Array(byAssessment.keys).chunks(of: 500) {
            let query = sql.select().columns("assessment_id", "criterion_code", "level", "narrative", "rationale", "version")
                .from(Judgement.schema).where("assessment_id", .in, Array(group)).query
            for row in try await BulkRead.rows(query, on: db) {
                guard let organisation = byAssessment[try row.decode(column: "assessment_id", as: UUID.self)],
                    let criterion = position[try row.decode(column: "criterion_code", as: String.self)]
                else { continue }
                if stored[organisation].isEmpty { stored[organisation] = Array(repeating: nil, count: criteria.count) }
                let value = Stored(
                    level: try row.decode(column: "level", as: Int?.self), narrative: try row.decode(column: "narrative", as: String.self),
                    rationale: try row.decode(column: "rationale", as: String.self),
                    version: try row.decode(column: "version", as: Int.self))
                stored[organisation][criterion] = value
                if levels[organisation].isEmpty { levels[organisation] = Array(repeating: Self.noLevel, count: criteria.count) }
                if complete[organisation].isEmpty { complete[organisation] = Array(repeating: false, count: criteria.count) }
                if let level = value.level { levels[organisation][criterion] = Int32(clamping: level) }
                complete[organisation][criterion] = value.level != nil && !value.narrative.isBlank && !value.rationale.isBlank
            }
        }
    }

    /// The inserts and the versioned update of one batch.
    func judgementStatements(inserts: JSONRows, plain: [Int: [(String, Int)]], order: [Int], updates: JSONRows) throws -> [WriterStatement]
    {
        let sql = try db.sql
        let by = context.userID
        var statements: [WriterStatement] = []
        if updates.count > 0 {
            let changes = updates.select([.uuid, .text, .integer, .text, .text, .integer], on: sql)
            statements.append(
                WriterStatement(
                    query: """
                        UPDATE "judgements" SET "level" = "j"."c2", "narrative" = "j"."c3", "rationale" = "j"."c4",
                          "version" = "judgements"."version" + 1, "updated_by" = \(bind: by), "updated_at" = \(bind: now)
                        FROM (\(changes)) AS "j"
                        WHERE "judgements"."assessment_id" = "j"."c0" AND "judgements"."criterion_code" = "j"."c1"
                          AND "judgements"."version" = "j"."c5"
                        RETURNING "judgements"."criterion_code"
                        """, isVersionedUpdate: true))
        }
        let columns: SQLQueryString =
            #"INSERT INTO "judgements" ("assessment_id", "criterion_code", "level", "narrative", "rationale", "version", "updated_by", "updated_at") "#
        if !order.isEmpty {
            var levels = JSONGroupedLevels()
            for organisation in order { levels.add(group: assessmentIDTexts[organisation], plain[organisation] ?? []) }
            statements.append(
                WriterStatement(
                    query: columns
                        + levels.select(
                            groupKind: .uuid, extra: [("", .text), ("", .text), (1, .integer), (by, .uuid), (now, .date)], on: sql)))
        }
        if inserts.count > 0 {
            statements.append(
                WriterStatement(
                    query: columns
                        + inserts.select(
                            [.uuid, .text, .integer, .text, .text], extra: [(1, .integer), (by, .uuid), (now, .date)], on: sql)))
        }
        return statements
    }

    /// Results for the assessment of `organisation`, computed from the levels in hand, and
    /// (for imports) one history line for the judgements it gained: who, when, every new value.
    func finalize(_ organisation: Int, results: inout JSONRows, history: inout JSONRows) {
        guard !finalized[organisation] else { return }
        finalized[organisation] = true
        let criteria = context.criteria
        var known: CriterionLevels = [:]
        known.reserveCapacity(criteria.count)
        for (index, level) in levels[organisation].enumerated() where level != Self.noLevel { known[criteria[index]] = Int(level) }
        let result = context.framework.result(for: known, tier: context.tiers[organisation])
        results.row {
            $0.add(assessmentIDTexts[organisation]); $0.add(AreaLevels.encode(result.areaLevels)); $0.add(result.overallStage)
            $0.add(result.meetsMinimum)
        }
        guard !created[organisation].isEmpty else { return }
        let added = created[organisation].indices.filter { created[organisation][$0] }.map { "\(criteria[$0])=\(levels[organisation][$0])" }
        guard !added.isEmpty else { return }
        let where_ = lines[organisation].map { "import, lines \($0.first)–\($0.last)" }
        let reason = [context.reason, where_].compactMap { $0 }.joined(separator: "; ")
        history.row {
            $0.add(ids.next()); $0.add(assessmentIDTexts[organisation]); $0.add(String?.none); $0.add("judgements"); $0.add(String?.none)
            $0.add(added.joined(separator: ", ")); $0.add(reason.isEmpty ? nil : reason)
        }
    }

    func resultStatements(_ results: JSONRows, on sql: any SQLDatabase) -> [WriterStatement] {
        guard results.count > 0 else { return [] }
        let values = results.select([.uuid, .text, .integer, .boolean], on: sql)
        return [
            WriterStatement(
                query: """
                    UPDATE "assessments" SET "area_levels" = "r"."c1", "overall_stage" = "r"."c2", "meets_minimum" = "r"."c3"
                    FROM (\(values)) AS "r" WHERE "assessments"."id" = "r"."c0"
                    """)
        ]
    }

    /// History rows: id, assessment, criterion, field, old value, new value, reason.
    func historyStatements(_ history: JSONRows, on sql: any SQLDatabase) -> [WriterStatement] {
        guard history.count > 0 else { return [] }
        let rows = history.select(
            [.uuid, .uuid, .text, .text, .text, .text, .text], extra: [(context.userID, .uuid), (now, .date)], on: sql)
        return [
            WriterStatement(
                query: """
                    INSERT INTO "assessment_history" ("id", "assessment_id", "criterion_code", "field", "old_value", "new_value", "reason",
                      "changed_by", "changed_at") \(rows)
                    """)
        ]
    }
}

extension Array {
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min(count, $0 + size)] }
    }
}
