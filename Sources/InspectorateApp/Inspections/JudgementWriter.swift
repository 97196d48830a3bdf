import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// The one writer of judgements. Every path that changes a judgement (the page form, the
/// API, the CSV import by command line or API, carry-forward, the demonstration data) hands
/// it rows; it applies the workflow rule (`AssessmentWorkflow.refusal`) once per assessment
/// it touches, compares each row with what is stored, and writes in set-based statements:
/// new assessments, judgements created and changed (each change moving the judgement's
/// version on, and refused if the writer held an older one), one history line per field
/// changed naming the writer and the reason, and the results of every assessment touched.
///
/// Rows come in batches; a batch is compared and its statements made while the one before
/// is still being written, so a file of millions of rows streams through at the database's
/// pace (docs/benchmarks.md). Everything runs inside the caller's transaction: all or none.
final class JudgementWriter {
    /// One judgement to write. Absent fields are left as they are.
    struct Row: Sendable {
        /// The file's line, for imports; nil for a single write.
        var line: Int?
        /// Position in `Context.codes`.
        var organisation: Int
        /// Position in the framework's criteria.
        var criterion: Int
        /// `.some(nil)` clears the level; nil leaves it.
        var level: Int??
        var narrative: String?
        var rationale: String?
        /// The version the writer last saw (0: not yet judged); nil for imports, which
        /// replace what is there.
        var expectedVersion: Int?
        /// Why, for a change after submission.
        var reason: String?

        var changesText: Bool { narrative != nil || rationale != nil }
    }

    /// A judgement already stored, for telling updates from unchanged rows.
    struct Stored {
        var level: Int?
        var narrative: String
        var rationale: String
        var version: Int
    }

    /// What the writer found wrong with a row: refused by the rule, or stale.
    struct Refusal: Error {
        var line: Int?
        var error: DomainError
    }

    let context: Context
    let writing: Bool
    let db: any Database
    /// Problems found while comparing (a refusal, a stale version), in the order found.
    private(set) var refusals: [Refusal] = []
    var assessmentIDs: [UUID?]
    /// The same as text, made once: formatting a UUID per row costs more than the row.
    var assessmentIDTexts: [String]
    var levels: [[Int32]]
    static let noLevel = Int32.min
    var created: [[Bool]]
    /// Per organisation and criterion: whether the judgement now has a level, narrative and rationale.
    var complete: [[Bool]]
    var stored: [[Stored?]]
    var lines: [(first: Int, last: Int)?]
    var touched: [Bool]
    var newAssessments: Set<Int> = []
    /// Per organisation: the refusal of each kind of change, worked out once (index: text × reason).
    var decisions: [[DomainError??]]
    var given: [Int]
    var finalized: [Bool]
    var outcome: JudgementImport.Outcome
    lazy var ids = OrderedIDs(now: context.now)
    var inFlight: Task<Void, any Error>?
    /// The judgements as they stand after the rows, for the single writer's answer.
    private(set) var written: [Int: [Int: Stored]] = [:]
    var now: Date { context.now }

    init(context: Context, writing: Bool, on db: any Database) {
        self.context = context
        self.writing = writing
        self.db = db
        let count = context.codes.count
        assessmentIDs = Array(repeating: nil, count: count)
        assessmentIDTexts = Array(repeating: "", count: count)
        levels = Array(repeating: [], count: count)
        created = Array(repeating: [], count: count)
        complete = Array(repeating: [], count: count)
        stored = Array(repeating: [], count: count)
        lines = Array(repeating: nil, count: count)
        touched = Array(repeating: false, count: count)
        decisions = Array(repeating: [], count: count)
        given = Array(repeating: 0, count: count)
        finalized = Array(repeating: false, count: count)
        outcome = .init(rows: 0, organisations: 0, created: 0, updated: 0, unchanged: 0, dryRun: !writing)
    }

    /// Whether rows are still being written: not in a dry run, and not once any row failed.
    var stillWriting: Bool { writing && refusals.isEmpty && !stopped }

    /// Set by the import when its own checks found a bad row: compare on, write no more.
    var stopped = false

    func settle() async {
        _ = try? await inFlight?.value
        inFlight = nil
    }

    /// Compares a batch of rows with what is stored and, while every row so far is good,
    /// writes it: new assessments first, then judgements created, then changed, then the
    /// results of each organisation whose every criterion has now been given.
    func write(_ batch: [Row]) async throws {
        guard !batch.isEmpty else { return }
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
            if let refusal = decision(organisation, text: row.changesText, reason: row.reason ?? context.reason) {
                refusals.append(Refusal(line: row.line, error: refusal))
                continue
            }
            touched[organisation] = true
            if let line = row.line {
                let span = lines[organisation]
                lines[organisation] = (min(span?.first ?? line, line), max(span?.last ?? line, line))
            }
            if levels[organisation].isEmpty { levels[organisation] = Array(repeating: Self.noLevel, count: criteria) }
            if complete[organisation].isEmpty { complete[organisation] = Array(repeating: false, count: criteria) }
            given[organisation] += 1
            defer {
                // Each criterion comes once per file: once all have come, the results are final.
                if given[organisation] == criteria && stillWriting { finalize(organisation, results: &results, history: &history) }
            }
            let code = context.criteria[row.criterion]
            // Made only where a history line needs it: millions of rows are created without one.
            let contextReason = context.reason
            var reason: String? {
                let text = [row.reason ?? contextReason, row.line.map { "import, line \($0)" }].compactMap { $0 }.joined(separator: "; ")
                return text.isEmpty ? nil : text
            }
            // Kept only for a single write, which answers with what it wrote.
            let single = row.line == nil
            let previous = stored[organisation].isEmpty ? nil : stored[organisation][row.criterion]
            if let expected = row.expectedVersion, expected != (previous?.version ?? 0) {
                refusals.append(
                    Refusal(line: row.line, error: .stale(current: state(previous, organisation: organisation, criterion: row.criterion))))
                continue
            }
            let level: Int? = row.level ?? previous?.level
            let narrative = row.narrative ?? previous?.narrative ?? ""
            let rationale = row.rationale ?? previous?.rationale ?? ""
            levels[organisation][row.criterion] = level.map { Int32(clamping: $0) } ?? Self.noLevel
            // Whether the text is given is itself something a writer who may not read it must
            // not learn: for them only the level counts here (the report says so).
            complete[organisation][row.criterion] =
                level != nil && (!textReadable(organisation) || (!narrative.isBlank && !rationale.isBlank))
            let after = Stored(level: level, narrative: narrative, rationale: rationale, version: (previous?.version ?? 0) + 1)
            if let previous {
                guard previous.level != level || narrative != previous.narrative || rationale != previous.rationale else {
                    outcome.unchanged += 1
                    if single { written[organisation, default: [:]][row.criterion] = previous }
                    continue
                }
                outcome.updated += 1
                if single { written[organisation, default: [:]][row.criterion] = after }
                guard stillWriting else { continue }
                updates.row {
                    $0.add(assessmentIDTexts[organisation]); $0.add(code); $0.add(level); $0.add(narrative); $0.add(rationale)
                    $0.add(previous.version)
                }
                for (field, old, new) in [
                    ("level", previous.level.map(String.init), level.map(String.init)),
                    ("narrative", previous.narrative, narrative), ("rationale", previous.rationale, rationale),
                ] where old != new {
                    let why = reason
                    history.row {
                        $0.add(ids.next()); $0.add(assessmentIDTexts[organisation]); $0.add(code); $0.add(field); $0.add(old); $0.add(new)
                        $0.add(why)
                    }
                }
            } else {
                outcome.created += 1
                if single { written[organisation, default: [:]][row.criterion] = after }
                guard stillWriting else { continue }
                if context.historyPerField {
                    for (field, new) in [("level", level.map(String.init)), ("narrative", narrative), ("rationale", rationale)]
                    where new != nil && new != "" {
                        let why = reason
                        history.row {
                            $0.add(ids.next()); $0.add(assessmentIDTexts[organisation]); $0.add(code); $0.add(field); $0.add(String?.none)
                            $0.add(new); $0.add(why)
                        }
                    }
                } else {
                    if created[organisation].isEmpty { created[organisation] = Array(repeating: false, count: criteria) }
                    created[organisation][row.criterion] = true
                }
                if row.narrative == nil && row.rationale == nil, let level {
                    if plain[organisation] == nil { plainOrder.append(organisation) }
                    plain[organisation, default: []].append((code, level))
                } else {
                    inserts.row {
                        $0.add(assessmentIDTexts[organisation]); $0.add(code); $0.add(level); $0.add(narrative); $0.add(rationale)
                    }
                }
            }
        }
        guard stillWriting else { return }
        statements += try judgementStatements(inserts: inserts, plain: plain, order: plainOrder, updates: updates)
        let sql = try db.sql
        statements += resultStatements(results, on: sql) + historyStatements(history, on: sql)
        try await inFlight?.value
        inFlight = nil
        // Written while the next batch is read and compared.
        let updateCount = updates.count
        let statementsToRun = statements
        let database = db
        inFlight = Task {
            let sql = try database.sql
            for statement in statementsToRun {
                if statement.isVersionedUpdate {
                    // Every writer holds the audit head's lock, so nothing moved the versions
                    // read in this transaction; a mismatch here would be a bug, not a race.
                    let changed = try await sql.raw(statement.query).all()
                    guard changed.count == updateCount else {
                        throw DomainError.unavailable(detail: "judgements changed under a writer holding the audit lock")
                    }
                } else {
                    try await sql.raw(statement.query).run()
                }
            }
        }
    }

    /// Everything still pending: results and history for every assessment touched, then the
    /// last writes.
    func finish() async throws {
        try await inFlight?.value
        inFlight = nil
        if let first = refusals.first { throw first }
        guard writing, !stopped else { return }
        var results = JSONRows()
        var history = JSONRows()
        for organisation in touched.indices where touched[organisation] && assessmentIDs[organisation] != nil {
            finalize(organisation, results: &results, history: &history)
        }
        let sql = try db.sql
        for statement in resultStatements(results, on: sql) + historyStatements(history, on: sql) {
            try await sql.raw(statement.query).run()
        }
    }

    /// The judgement of `organisation` and `criterion` as it stands after the rows.
    func current(organisation: Int, criterion: Int) -> JudgementState {
        let value = written[organisation]?[criterion] ?? (stored[organisation].isEmpty ? nil : stored[organisation][criterion])
        return state(value, organisation: organisation, criterion: criterion)
    }

    /// Organisations touched whose assessments cannot yet be submitted, with what is missing.
    func incomplete(limit: Int) -> (count: Int, first: [JudgementImport.Incomplete]) {
        var count = 0
        var first: [JudgementImport.Incomplete] = []
        for organisation in touched.indices where touched[organisation] {
            let missing = complete[organisation].indices.filter { !complete[organisation][$0] }
            guard !missing.isEmpty else { continue }
            count += 1
            if first.count < limit {
                first.append(
                    .init(
                        organisation: context.codes[organisation], incomplete: missing.count,
                        criteria: missing.prefix(5).map { context.criteria[$0] }))
            }
        }
        return (count, first)
    }

    private func state(_ value: Stored?, organisation: Int, criterion: Int) -> JudgementState {
        let judgement = Judgement(assessmentID: assessmentIDs[organisation] ?? UUID(), criterion: context.criteria[criterion])
        judgement.level = value?.level
        judgement.narrative = value?.narrative ?? ""
        judgement.rationale = value?.rationale ?? ""
        judgement.version = value?.version ?? 0
        return JudgementState(
            judgement, criterion: context.framework.criteria[criterion].criterion, narratives: context.narratives(of: organisation))
    }

    /// Whether the writer may read `organisation`'s narratives, worked out once.
    private func textReadable(_ organisation: Int) -> Bool {
        if readability[organisation] == nil { readability[organisation] = context.clearance(of: organisation).readable }
        return readability[organisation] ?? false
    }

    private var readability: [Int: Bool] = [:]

    /// The refusal of a change to `organisation`'s assessment, worked out once per kind of
    /// change (with or without text, with or without a reason) and kept.
    private func decision(_ organisation: Int, text: Bool, reason: String?) -> DomainError? {
        let hasReason = !(reason ?? "").isBlank
        let slot = (text ? 2 : 0) + (hasReason ? 1 : 0)
        if decisions[organisation].isEmpty { decisions[organisation] = Array(repeating: nil, count: 4) }
        if let decided = decisions[organisation][slot] { return decided }
        let action: AssessmentAction = context.carryingForward ? .carryForward : .judge(text: text, reason: hasReason ? reason : nil)
        let refusal = AssessmentWorkflow.refusal(
            of: action, on: context.state(of: organisation), by: context.writer.principal, narratives: context.clearance(of: organisation))
        decisions[organisation][slot] = .some(refusal)
        return refusal
    }
}
