import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// Bulk import of judgements from a spreadsheet, one row per organisation × criterion.
/// The file streams through in pieces (constant memory whatever its size): each row is
/// checked as it passes and, in a real run, written in batches inside one transaction.
/// Any bad row stops the writing but not the checking, so the answer lists every problem
/// and the transaction is rolled back: all or nothing.
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

    /// Where the rows come from.
    enum Source: Sendable {
        /// A file read a piece at a time.
        case file(String)
        /// A request body already in hand.
        case bytes([UInt8])

        var size: Int {
            switch self {
            case .file(let path): (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            case .bytes(let bytes): bytes.count
            }
        }
    }

    /// Rows per batch written; a few megabytes of JSON.
    static let batchSize = 20_000
    /// Bytes read and checked at a time.
    static let pieceSize = 1 << 20

    static func run(
        _ source: Source, cycle: Cycle, kind: AssessmentKind, dryRun: Bool, by user: User?, caller: Caller,
        batchSize: Int = batchSize, pieceSize: Int = pieceSize, progress: @escaping @Sendable (Double) -> Void = { _ in },
        on db: any Database
    ) async throws -> Outcome {
        let framework = try await cycle.$framework.get(on: db).framework()
        let cycleID = try cycle.requireID()
        let members = try await Member.all(in: cycleID, on: db)
        let existing = try await Assessment.query(on: db).filter(\.$cycle.$id == cycleID).filter(\.$kind == kind).all()
        let context = Context(
            framework: framework, members: members, assessments: existing, cycleID: cycleID, kind: kind, userID: user?.id,
            now: caller.now, batchSize: batchSize, pieceSize: pieceSize)
        if dryRun {
            return try await context.importing(source, writing: false, progress: progress, on: db)
        }
        return try await Audit.transaction(on: db, caller: caller) { tx, audit in
            let outcome = try await context.importing(source, writing: true, progress: progress, on: tx)
            try await PictureCache.invalidate(cycleID: cycleID, on: tx)
            try await audit.append(
                AuditEvent(
                    action: "judgements.import", recordType: "cycle", recordID: cycleID.uuidString,
                    detail: "\(kind.rawValue): \(outcome.rows) rows, \(outcome.created) created, \(outcome.updated) updated"))
            return outcome
        }
    }

    /// An organisation in the cycle, read without the rest of its record: a cycle may hold
    /// tens of thousands.
    struct Member: Sendable {
        var code: String
        var organisationID: UUID
        var tierCode: String?

        static func all(in cycleID: UUID, on db: any Database) async throws -> [Member] {
            let sql = try db.sql
            let query = sql.select()
                .column(SQLColumn("code", table: Organisation.schema))
                .column(SQLColumn("organisation_id", table: CycleOrganisation.schema))
                .column(SQLColumn("tier_code", table: CycleOrganisation.schema))
                .from(CycleOrganisation.schema)
                .join(
                    Organisation.schema, on: SQLColumn("id", table: Organisation.schema), .equal,
                    SQLColumn("organisation_id", table: CycleOrganisation.schema)
                )
                .where(SQLColumn("cycle_id", table: CycleOrganisation.schema), .equal, SQLBind(cycleID))
                .query
            return try await BulkRead.rows(query, on: db).map { row in
                Member(
                    code: try row.decode(column: "code", as: String.self),
                    organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                    tierCode: try row.decode(column: "tier_code", as: String?.self))
            }
        }
    }

    /// What an import needs to know before the first row: the cycle's organisations, their
    /// assessments of this kind, and the framework.
    struct Context: Sendable {
        var framework: Framework
        /// The framework's criteria codes in order (`Framework.criteria` is computed anew on each use).
        var criteria: [String]
        var codes: [String]
        var organisationIDs: [UUID]
        var tiers: [RiskTier?]
        var assessments: [UUID: (id: UUID, locked: Bool)]
        var cycleID: UUID
        var kind: AssessmentKind
        var userID: UUID?
        /// The instant every row written is stamped with.
        var now: Date
        var batchSize: Int
        var pieceSize: Int

        init(
            framework: Framework, members: [Member], assessments: [Assessment], cycleID: UUID, kind: AssessmentKind, userID: UUID?,
            now: Date, batchSize: Int, pieceSize: Int
        ) {
            self.now = now
            self.batchSize = batchSize
            self.pieceSize = pieceSize
            self.framework = framework
            criteria = framework.criteria.map(\.criterion.code)
            codes = members.map(\.code)
            organisationIDs = members.map(\.organisationID)
            tiers = members.map { $0.tierCode.flatMap(framework.tier) }
            self.assessments = Dictionary(
                assessments.compactMap { assessment in
                    assessment.id.map { (assessment.$organisation.id, ($0, assessment.status.isLocked)) }
                }, uniquingKeysWith: { first, _ in first })
            self.cycleID = cycleID
            self.kind = kind
            self.userID = userID
        }

        func importing(
            _ source: Source, writing: Bool, progress: @escaping @Sendable (Double) -> Void, on db: any Database
        ) async throws -> Outcome {
            let run = JudgementImportRun(context: self, writing: writing, on: db)
            do {
                return try await read(source, into: run, progress: progress)
            } catch {
                // A batch may still be writing on the transaction's connection: let it end
                // before the transaction is rolled back.
                await run.settle()
                throw error
            }
        }

        private func read(
            _ source: Source, into run: JudgementImportRun, progress: @escaping @Sendable (Double) -> Void
        ) async throws -> Outcome {
            let total = max(source.size, 1)
            var read = 0
            switch source {
            case .bytes(let bytes):
                for start in stride(from: 0, to: bytes.count, by: pieceSize) {
                    bytes[start..<min(bytes.count, start + pieceSize)].withUnsafeBufferPointer(run.read)
                    try await run.flushIfFull()
                }
            case .file(let path):
                guard let handle = FileHandle(forReadingAtPath: path) else { throw FieldError("file", "cannot read \(path)") }
                defer { try? handle.close() }
                while let piece = try handle.read(upToCount: pieceSize), !piece.isEmpty {
                    piece.withUnsafeBytes { run.read($0.bindMemory(to: UInt8.self)) }
                    try await run.flushIfFull()
                    read += piece.count
                    progress(0.9 * Double(read) / Double(total))
                }
            }
            let outcome = try await run.finish()
            progress(1)
            return outcome
        }
    }
}
