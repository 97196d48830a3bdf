import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// One import as it runs: the reader, the checker, and what has been seen and written.
final class JudgementImportRun {
    /// A judgement already stored, for telling updates from unchanged rows.
    struct Stored { var level: Int?; var narrative: String; var rationale: String }

    let context: JudgementImport.Context
    let writing: Bool
    let db: any Database
    var reader = CSVInput()
    var checker: JudgementImportChecker?
    var malformed: CSVStreamReader.Malformed?
    var headerError: (any Error)?
    var pending: [JudgementImportChecker.Row] = []
    /// Per organisation (by position), once touched: its assessment and levels by criterion.
    var assessmentIDs: [UUID?]
    /// The same as text, made once: formatting a UUID per row costs more than the row.
    var assessmentIDTexts: [String]
    var levels: [[Int32]]
    static let noLevel = Int32.min
    var created: [[Bool]]
    var stored: [[Stored?]]
    var lines: [(first: Int, last: Int)?]
    var newAssessments: Set<Int> = []
    /// Per organisation: criteria the file has given so far, and whether its results are written.
    var given: [Int]
    var finalized: [Bool]
    var outcome: JudgementImport.Outcome
    lazy var ids = OrderedIDs(now: context.now)
    var inFlight: Task<Void, any Error>?
    var now: Date { context.now }

    init(context: JudgementImport.Context, writing: Bool, on db: any Database) {
        self.context = context
        self.writing = writing
        self.db = db
        let count = context.codes.count
        assessmentIDs = Array(repeating: nil, count: count)
        assessmentIDTexts = Array(repeating: "", count: count)
        levels = Array(repeating: [], count: count)
        created = Array(repeating: [], count: count)
        stored = Array(repeating: [], count: count)
        lines = Array(repeating: nil, count: count)
        given = Array(repeating: 0, count: count)
        finalized = Array(repeating: false, count: count)
        outcome = .init(rows: 0, organisations: 0, created: 0, updated: 0, unchanged: 0, dryRun: !writing)
    }

    /// Whether rows are still being written: not in a dry run, and not once any row was bad.
    var stillWriting: Bool { writing && (checker?.problems.isEmpty ?? true) && malformed == nil }

    /// Reads and checks the next piece of the file; rows wait in `pending` to be written.
    func read(_ piece: UnsafeBufferPointer<UInt8>) {
        guard malformed == nil else { return }
        do {
            try reader.read(piece, record: take)
        } catch let error as CSVStreamReader.Malformed {
            malformed = error
        } catch {
            // `take` throws only for the header, which the checker reports as its own problem.
            headerError = error
        }
    }

    func flushIfFull() async throws {
        if let headerError { throw headerError }
        if pending.count >= context.batchSize { try await flush() }
    }

    func settle() async {
        _ = try? await inFlight?.value
        inFlight = nil
    }

    func finish() async throws -> JudgementImport.Outcome {
        if let headerError { throw headerError }
        if malformed == nil {
            do { try reader.finish(record: take) } catch let error as CSVStreamReader.Malformed { malformed = error }
        }
        try await flush()
        try await inFlight?.value
        inFlight = nil
        guard let checker else {
            throw JudgementImportPlanner.Invalid(
                problems: JudgementImportChecker.requiredColumns.map {
                    .init(line: nil, message: "required column \"\($0)\" is missing")
                })
        }
        // Problems found per batch (a locked assessment) join those found per row, in file order.
        let problems = (checker.problems + (malformed.map { [.init(line: $0.line, message: $0.message)] } ?? []))
            .enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
        if !problems.isEmpty { throw JudgementImportPlanner.Invalid(problems: problems) }
        outcome.rows = checker.rows
        outcome.organisations = lines.lazy.filter { $0 != nil }.count
        if writing { try await writeResultsAndHistory() }
        return outcome
    }

    private func take(_ record: CSVRecord) throws {
        guard checker != nil else {
            checker = try JudgementImportChecker(
                header: (0..<record.count).map(record.string), framework: context.framework,
                organisations: context.codes)
            return
        }
        // Mutated where it stands: a copy would copy its table of lines seen.
        if let row = checker?.check(record) { pending.append(row) }
    }

    /// Compares a batch of good rows with what is stored and, while every row so far is
    /// good, writes it: new assessments first, then judgements created, then changed, then
    /// the results of each organisation whose every criterion the file has now given.
    private func flush() async throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        // The batch is compared and its statements made while the one before is still being
        // written: the database and the checking run side by side.
        var statements = try await touch(batch)
        let criteria = context.criteria.count
        var inserts = JSONRows()
        var plain: [Int: [(String, Int)]] = [:]
        var plainOrder: [Int] = []
        var updates = JSONRows()
        var history = JSONRows()
        var results = JSONRows()
        for row in batch {
            let organisation = row.organisation
            guard assessmentIDs[organisation] != nil else { continue }
            let span = lines[organisation]
            lines[organisation] = (min(span?.first ?? row.line, row.line), max(span?.last ?? row.line, row.line))
            if levels[organisation].isEmpty { levels[organisation] = Array(repeating: Self.noLevel, count: criteria) }
            levels[organisation][row.criterion] = Int32(clamping: row.level)
            given[organisation] += 1
            defer {
                // Each criterion comes once per file: once all have come, the results are final.
                if given[organisation] == criteria && stillWriting { finalize(organisation, results: &results, history: &history) }
            }
            let code = context.criteria[row.criterion]
            if let previous = stored[organisation].isEmpty ? nil : stored[organisation][row.criterion] {
                let narrative = row.narrative ?? previous.narrative
                let rationale = row.rationale ?? previous.rationale
                guard previous.level != row.level || narrative != previous.narrative || rationale != previous.rationale else {
                    outcome.unchanged += 1
                    continue
                }
                outcome.updated += 1
                guard stillWriting else { continue }
                updates.row {
                    $0.add(assessmentIDTexts[organisation]); $0.add(code); $0.add(row.level); $0.add(narrative); $0.add(rationale)
                }
                for (field, old, new) in [
                    ("level", previous.level.map(String.init), String(row.level)),
                    ("narrative", previous.narrative, narrative), ("rationale", previous.rationale, rationale),
                ] where old != new {
                    history.row {
                        $0.add(ids.next()); $0.add(assessmentIDTexts[organisation]); $0.add(code); $0.add(field); $0.add(old); $0.add(new)
                        $0.add("bulk import, line \(row.line)")
                    }
                }
            } else {
                outcome.created += 1
                if created[organisation].isEmpty { created[organisation] = Array(repeating: false, count: criteria) }
                created[organisation][row.criterion] = true
                guard stillWriting else { continue }
                if row.narrative == nil && row.rationale == nil {
                    if plain[organisation] == nil { plainOrder.append(organisation) }
                    plain[organisation, default: []].append((code, row.level))
                } else {
                    inserts.row {
                        $0.add(assessmentIDTexts[organisation]); $0.add(code); $0.add(row.level); $0.add(row.narrative ?? "");
                        $0.add(row.rationale ?? "")
                    }
                }
            }
        }
        guard stillWriting else { return }
        let sql = try db.sql
        let by = context.userID
        if updates.count > 0 {
            let changes = updates.select([.uuid, .text, .integer, .text, .text], on: sql)
            statements.append(
                """
                UPDATE "judgements" SET "level" = "j"."c2", "narrative" = "j"."c3", "rationale" = "j"."c4",
                  "version" = "judgements"."version" + 1, "updated_by" = \(bind: by), "updated_at" = \(bind: now)
                FROM (\(changes)) AS "j"
                WHERE "judgements"."assessment_id" = "j"."c0" AND "judgements"."criterion_code" = "j"."c1"
                """)
        }
        let columns: SQLQueryString =
            #"INSERT INTO "judgements" ("assessment_id", "criterion_code", "level", "narrative", "rationale", "version", "updated_by", "updated_at") "#
        if !plainOrder.isEmpty {
            var levels = JSONGroupedLevels()
            for organisation in plainOrder { levels.add(group: assessmentIDTexts[organisation], plain[organisation] ?? []) }
            statements.append(
                columns
                    + levels.select(groupKind: .uuid, extra: [("", .text), ("", .text), (1, .integer), (by, .uuid), (now, .date)], on: sql))
        }
        if inserts.count > 0 {
            statements.append(
                columns
                    + inserts.select([.uuid, .text, .integer, .text, .text], extra: [(1, .integer), (by, .uuid), (now, .date)], on: sql))
        }
        statements += resultStatements(results, on: sql) + historyStatements(history, on: sql)
        try await inFlight?.value
        // Written while the next piece of the file is read and checked.
        let db = self.db
        inFlight = Task { for statement in statements { try await (try db.sql).raw(statement).run() } }
    }

    /// Finds or makes the assessment of each organisation the batch touches for the first
    /// time, and loads the judgements an existing one already holds.
    /// Returns the statement that creates the new ones, to run before the batch's judgements.
    private func touch(_ batch: [JudgementImportChecker.Row]) async throws -> [SQLQueryString] {
        var firstTouched: [Int] = []
        for row in batch where assessmentIDs[row.organisation] == nil {
            firstTouched.append(row.organisation)
            let organisationID = context.organisationIDs[row.organisation]
            let assessmentID: UUID
            if let found = context.assessments[organisationID] {
                assessmentID = found.id
                if found.locked {
                    checker?.report(
                        .init(
                            line: row.line,
                            message:
                                "the \(context.kind.displayName.lowercased()) of \(context.codes[row.organisation]) is final and locked"))
                }
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
            """
            INSERT INTO "assessments" ("id", "organisation_id", "cycle_id", "kind", "status", "area_levels", "meets_minimum", "version",
              "created_at", "updated_at", "narrative_descriptors") \(select)
            """
        ]
    }

    private func loadStored(_ organisations: [Int]) async throws {
        let criteria = context.criteria
        let position = Dictionary(criteria.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var byAssessment: [UUID: Int] = [:]
        for organisation in organisations { if let id = assessmentIDs[organisation] { byAssessment[id] = organisation } }
        let sql = try db.sql
        for group in Array(byAssessment.keys).chunks(of: 500) {
            let query = sql.select().columns("assessment_id", "criterion_code", "level", "narrative", "rationale").from(Judgement.schema)
                .where("assessment_id", .in, Array(group)).query
            for row in try await BulkRead.rows(query, on: db) {
                guard let organisation = byAssessment[try row.decode(column: "assessment_id", as: UUID.self)],
                    let criterion = position[try row.decode(column: "criterion_code", as: String.self)]
                else { continue }
                if stored[organisation].isEmpty { stored[organisation] = Array(repeating: nil, count: criteria.count) }
                let level = try row.decode(column: "level", as: Int?.self)
                stored[organisation][criterion] = Stored(
                    level: level, narrative: try row.decode(column: "narrative", as: String.self),
                    rationale: try row.decode(column: "rationale", as: String.self))
                if levels[organisation].isEmpty { levels[organisation] = Array(repeating: Self.noLevel, count: criteria.count) }
                if let level { levels[organisation][criterion] = Int32(clamping: level) }
            }
        }
    }

    /// Results for the assessment of `organisation`, computed from the levels in hand, and
    /// one history line for the judgements it gained (who, when, every new value), beside the
    /// line per field already kept for each change.
    private func finalize(_ organisation: Int, results: inout JSONRows, history: inout JSONRows) {
        guard !finalized[organisation], let span = lines[organisation] else { return }
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
        history.row {
            $0.add(ids.next()); $0.add(assessmentIDTexts[organisation]); $0.add(String?.none); $0.add("judgements"); $0.add(String?.none)
            $0.add(added.joined(separator: ", ")); $0.add("bulk import, lines \(span.first)–\(span.last)")
        }
    }

    /// Every organisation touched whose results are not yet written (the file did not give
    /// all its criteria), then the writes still pending.
    private func writeResultsAndHistory() async throws {
        var results = JSONRows()
        var history = JSONRows()
        for organisation in lines.indices where lines[organisation] != nil && assessmentIDs[organisation] != nil {
            finalize(organisation, results: &results, history: &history)
        }
        let sql = try db.sql
        for statement in resultStatements(results, on: sql) + historyStatements(history, on: sql) { try await sql.raw(statement).run() }
    }

    private func resultStatements(_ results: JSONRows, on sql: any SQLDatabase) -> [SQLQueryString] {
        guard results.count > 0 else { return [] }
        let values = results.select([.uuid, .text, .integer, .boolean], on: sql)
        return [
            """
            UPDATE "assessments" SET "area_levels" = "r"."c1", "overall_stage" = "r"."c2", "meets_minimum" = "r"."c3"
            FROM (\(values)) AS "r" WHERE "assessments"."id" = "r"."c0"
            """
        ]
    }

    /// History rows: id, assessment, criterion, field, old value, new value, reason.
    private func historyStatements(_ history: JSONRows, on sql: any SQLDatabase) -> [SQLQueryString] {
        guard history.count > 0 else { return [] }
        let rows = history.select(
            [.uuid, .uuid, .text, .text, .text, .text, .text], extra: [(context.userID, .uuid), (now, .date)], on: sql)
        return [
            """
            INSERT INTO "assessment_history" ("id", "assessment_id", "criterion_code", "field", "old_value", "new_value", "reason",
              "changed_by", "changed_at") \(rows)
            """
        ]
    }
}

private extension Array {
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min(count, $0 + size)] }
    }
}
