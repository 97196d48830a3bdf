import Fluent
import InspectorateCore
import SQLKit
import Vapor

extension JudgementWriter {
    /// An assessment already stored, as the writer needs it.
    struct Existing: Sendable {
        var id: UUID
        var status: AssessmentStatus
        /// Its narratives as a marked record: marking, need-to-know groups, organisation.
        var narratives: MarkedRecord
    }

    /// What a write needs to know before the first row: the cycle and its framework, the
    /// organisations the writer may see (by position), their assessments of this kind, and
    /// who writes.
    struct Context: Sendable {
        var framework: Framework
        /// The framework's criteria codes in order (`Framework.criteria` is computed anew on each use).
        var criteria: [String]
        var codes: [String]
        /// Codes, names and aliases (by `NameKey`) to position: what an import's rows may give.
        var names: [String: Int]
        var organisationIDs: [UUID]
        var tiers: [RiskTier?]
        var assessments: [UUID: Existing]
        var cycleID: UUID
        var cycleStatus: CycleStatus
        var kind: AssessmentKind
        /// Who writes: their role, organisation, vetting and groups decide what they may change.
        var writer: Reader
        /// The instant every row written is stamped with.
        var now: Date
        /// The reason given for the whole write (a file's), where a row gives none.
        var reason: String?
        /// One history line per field for judgements created (single writes); otherwise one
        /// line per assessment listing every value it gained (imports of thousands).
        var historyPerField: Bool
        /// Copying the cycle before's final judgements (`AssessmentAction.carryForward`)
        /// rather than writing as an author.
        var carryingForward = false
        var batchSize: Int
        var pieceSize: Int

        var userID: UUID { writer.principal.userID }

        func state(of organisation: Int) -> AssessmentState {
            let existing = assessments[organisationIDs[organisation]]
            return AssessmentState(
                kind: kind, status: existing?.status ?? .draft, organisationID: organisationIDs[organisation], cycle: cycleStatus)
        }

        func narratives(of organisation: Int) -> MarkedRecord {
            assessments[organisationIDs[organisation]]?.narratives
                ?? MarkedRecord(
                    marking: writer.scheme.defaultMarking(for: .inspectionNarrative), organisationID: organisationIDs[organisation])
        }

        func clearance(of organisation: Int) -> NarrativeClearance {
            let record = narratives(of: organisation)
            return NarrativeClearance(readable: writer.canRead(record), marking: record.marking.description)
        }

        /// The context for writing `kind` assessments of `cycle` as `writer`: every
        /// organisation of the cycle the writer may see, or only those `codes` name.
        static func load(
            cycle: Cycle, kind: AssessmentKind, writer: Reader, only codes: [String]? = nil, reason: String? = nil,
            historyPerField: Bool, now: Date, batchSize: Int = JudgementImport.batchSize, pieceSize: Int = JudgementImport.pieceSize,
            on db: any Database
        ) async throws -> Context {
            let framework = try await cycle.$framework.get(on: db).framework()
            let cycleID = try cycle.requireID()
            let scope = AccessRule.organisationScope(for: writer.principal)
            let members = try await JudgementImport.Member.all(in: cycleID, scope: scope, only: codes, on: db)
            var query = Assessment.query(on: db).filter(\.$cycle.$id == cycleID).filter(\.$kind == kind)
            // A single write reads its own organisation's assessment, not the whole cycle's.
            if codes != nil { query = query.filter(\.$organisation.$id ~~ members.map(\.organisationID)) }
            let existing = try await query.all()
            let groups = try await NeedToKnow.narrativeGroups(cycle: cycleID, kind: kind, on: db)
            var assessments: [UUID: Existing] = [:]
            for assessment in existing {
                guard let id = assessment.id else { continue }
                assessments[assessment.$organisation.id] = Existing(
                    id: id, status: assessment.status,
                    narratives: MarkedRecord(
                        marking: assessment.narrativeMarking(in: writer.scheme), requiredGroups: groups[id] ?? [],
                        organisationID: assessment.$organisation.id))
            }
            let names = OrganisationNameIndex(members.map { ($0.code, $0.name, $0.aliases) }).names
            return Context(
                framework: framework, criteria: framework.criteria.map(\.criterion.code), codes: members.map(\.code), names: names,
                organisationIDs: members.map(\.organisationID), tiers: members.map { $0.tierCode.flatMap(framework.tier) },
                assessments: assessments, cycleID: cycleID, cycleStatus: cycle.status, kind: kind, writer: writer, now: now,
                reason: reason.flatMap { $0.isBlank ? nil : $0 }, historyPerField: historyPerField, batchSize: batchSize,
                pieceSize: pieceSize)
        }
    }
}

extension NeedToKnow {
    /// The need-to-know groups of every `kind` assessment's narratives in a cycle, in one query.
    static func narrativeGroups(cycle: UUID, kind: AssessmentKind, on db: any Database) async throws -> [UUID: Set<UUID>] {
        let rows = try await db.sql.raw(
            """
            SELECT rg.record_id, rg.group_id FROM record_groups rg JOIN assessments a ON a.id = rg.record_id
            WHERE a.cycle_id = \(bind: cycle) AND a.kind = \(bind: kind.rawValue)
            """
        ).all()
        var groups: [UUID: Set<UUID>] = [:]
        for row in rows {
            groups[try row.decode(column: "record_id", as: UUID.self), default: []].insert(
                try row.decode(column: "group_id", as: UUID.self))
        }
        return groups
    }
}
