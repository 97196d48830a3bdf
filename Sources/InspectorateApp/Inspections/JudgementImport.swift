import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// Bulk import of judgements from a spreadsheet, one row per organisation × criterion.
/// The file streams through in pieces (constant memory whatever its size): each row is
/// checked as it passes and handed to the one `JudgementWriter`, which applies the workflow
/// rule and writes in batches inside one transaction. Any bad or refused row stops the
/// writing but not the checking, so the answer lists every problem and the transaction is
/// rolled back: all or nothing.
enum JudgementImport {
    /// An assessment the import touched that cannot yet be submitted.
    struct Incomplete: Content {
        var organisation: String
        /// How many criteria lack a level, a narrative or a rationale.
        var incomplete: Int
        /// The first of them.
        var criteria: [String]
    }

    struct Outcome: Content {
        var rows: Int
        var organisations: Int
        var created: Int
        var updated: Int
        var unchanged: Int
        var dryRun: Bool
        /// How many of the assessments touched cannot yet be submitted, and the first of them.
        var incompleteAssessments: Int = 0
        var incomplete: [Incomplete] = []
        enum CodingKeys: String, CodingKey {
            case rows, organisations, created, updated, unchanged, incomplete
            case dryRun = "dry_run"
            case incompleteAssessments = "incomplete_assessments"
        }
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

    /// Imports `source` into the `kind` assessments of `cycle`, written as `writer` (their
    /// role, organisation, vetting and groups decide what they may change). `reason` is
    /// given for every changed judgement of a submitted or moderated assessment whose row
    /// gives none (a `reason` column may give one per row).
    /// - Throws: `FileInvalid` listing every bad or refused row by line; nothing is written.
    static func run(
        _ source: Source, cycle: Cycle, kind: AssessmentKind, dryRun: Bool, writer: Reader, reason: String? = nil, caller: Caller,
        batchSize: Int = batchSize, pieceSize: Int = pieceSize, progress: @escaping @Sendable (Double) -> Void = { _ in },
        on db: any Database
    ) async throws -> Outcome {
        let cycleID = try cycle.requireID()
        let load: @Sendable (any Database) async throws -> JudgementWriter.Context = { db in
            try await JudgementWriter.Context.load(
                cycle: cycle, kind: kind, writer: writer, reason: reason, historyPerField: false, now: caller.now,
                batchSize: batchSize, pieceSize: pieceSize, on: db)
        }
        do {
            if dryRun {
                return try await JudgementFileReader(writer: JudgementWriter(context: try await load(db), writing: false, on: db))
                    .read(source, progress: progress)
            }
            return try await Audit.transaction(on: db, caller: caller) { tx, audit in
                let writer = JudgementWriter(context: try await load(tx), writing: true, on: tx)
                let outcome = try await JudgementFileReader(writer: writer).read(source, progress: progress)
                try await PictureCache.invalidate(cycleID: cycleID, on: tx)
                try await audit.append(
                    AuditEvent(
                        action: "judgements.import", recordType: "cycle", recordID: cycleID.uuidString,
                        detail: "\(kind.rawValue): \(outcome.rows) rows, \(outcome.created) created, \(outcome.updated) updated"))
                return outcome
            }
        } catch let invalid as FileInvalid {
            // Refusals by the workflow rule are denials: the trail keeps them even though
            // nothing was written.
            let refused = invalid.problems.filter { $0.message.hasPrefix(JudgementFileReader.refusalMark) }.count
            if refused > 0 {
                try await Audit.record(
                    AuditEvent(
                        action: "judgements.import", recordType: "cycle", recordID: cycleID.uuidString, outcome: .denied,
                        detail: "\(kind.rawValue): \(refused) rows refused by the workflow rule"), caller: caller, on: db)
            }
            throw invalid
        }
    }

    /// An organisation in the cycle, read without the rest of its record: a cycle may hold
    /// tens of thousands.
    struct Member: Sendable {
        var code: String
        var name: String
        var aliases: [String]
        var organisationID: UUID
        var tierCode: String?

        /// The cycle's organisations within `scope` (and, when given, only those `codes` name).
        static func all(
            in cycleID: UUID, scope: OrganisationScope, only codes: [String]? = nil, on db: any Database
        ) async throws -> [Member] {
            if scope == .nothing { return [] }
            var query = try db.sql.select()
                .column(SQLColumn("code", table: Organisation.schema))
                .column(SQLColumn("name", table: Organisation.schema))
                .column(SQLColumn("organisation_id", table: CycleOrganisation.schema))
                .column(SQLColumn("tier_code", table: CycleOrganisation.schema))
                .from(CycleOrganisation.schema)
                .join(
                    Organisation.schema, on: SQLColumn("id", table: Organisation.schema), .equal,
                    SQLColumn("organisation_id", table: CycleOrganisation.schema)
                )
                .where(SQLColumn("cycle_id", table: CycleOrganisation.schema), .equal, SQLBind(cycleID))
            if case .only(let id) = scope { query = query.where(SQLColumn("id", table: Organisation.schema), .equal, SQLBind(id)) }
            if let codes { query = query.where(SQLColumn("code", table: Organisation.schema), .in, SQLBind.group(codes)) }
            var members = try await BulkRead.rows(query.query, on: db).map { row in
                Member(
                    code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                    aliases: [], organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                    tierCode: try row.decode(column: "tier_code", as: String?.self))
            }
            // Aliases, so a file may name organisations as published files do ("West Midlands").
            let position = Dictionary(members.enumerated().map { ($1.organisationID, $0) }, uniquingKeysWith: { first, _ in first })
            let aliases = try await BulkRead.rows(
                try db.sql.select().columns("organisation_id", "alias").from(OrganisationAlias.schema).query, on: db)
            for row in aliases {
                guard let index = position[try row.decode(column: "organisation_id", as: UUID.self)] else { continue }
                members[index].aliases.append(try row.decode(column: "alias", as: String.self))
            }
            return members
        }
    }
}
