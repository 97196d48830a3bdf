import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// Reading and writing assessments: judgements with history, the workflow, and results
/// kept current on every write.
enum AssessmentService {
    /// The assessment with its judgements, or, before anyone has written in it, an empty
    /// draft held in memory (not stored: reading never writes).
    static func find(_ kind: AssessmentKind, for member: CycleOrganisation, in cycle: Cycle, on db: any Database) async throws -> Assessment
    {
        let cycleID = try cycle.requireID()
        if let existing = try await Assessment.query(on: db).filter(\.$cycle.$id == cycleID)
            .filter(\.$organisation.$id == member.$organisation.id).filter(\.$kind == kind).with(\.$judgements).first()
        {
            return existing
        }
        let draft = Assessment(cycleID: cycleID, organisationID: member.$organisation.id, kind: kind)
        draft.$judgements.value = []
        return draft
    }

    /// Stores an assessment not yet stored, inside the writer's transaction; another writer
    /// may have stored it first, and then theirs is used. Returns its id.
    static func store(_ assessment: Assessment, at now: Date, on tx: any Database) async throws -> UUID {
        if let id = assessment.id { return id }
        let sql = try tx.sql
        let id = UUID()
        try await sql.raw(
            """
            INSERT INTO assessments (id, cycle_id, organisation_id, kind, status, area_levels, meets_minimum, version, narrative_descriptors,
              created_at, updated_at)
            VALUES (\(bind: id), \(bind: assessment.$cycle.id), \(bind: assessment.$organisation.id), \(bind: assessment.kind.rawValue),
              \(bind: AssessmentStatus.draft.rawValue), '{}', \(bind: false), 1, '', \(bind: now), \(bind: now))
            ON CONFLICT (cycle_id, organisation_id, kind) DO NOTHING
            """
        ).run()
        guard
            let stored = try await Assessment.query(on: tx).filter(\.$cycle.$id == assessment.$cycle.id)
                .filter(\.$organisation.$id == assessment.$organisation.id).filter(\.$kind == assessment.kind).first(),
            let storedID = stored.id
        else { throw DomainError.unavailable(detail: "an assessment just stored could not be read back") }
        assessment.id = storedID
        assessment.$id.exists = true
        assessment.version = stored.version
        assessment.status = stored.status
        return storedID
    }

    struct JudgementChange: Sendable {
        var level: Int??
        var narrative: String?
        var rationale: String?
        /// Required for changes after submission (moderation).
        var reason: String?
    }

    /// Writes one criterion's judgement if nobody changed it since `expectedVersion` (0 for a
    /// criterion not yet judged), through the one `JudgementWriter`: who may write, in which
    /// state, with what reason, and whether their vetting covers the narratives, are
    /// decided there, as for every other path that writes judgements. Refusals are audited.
    /// - Returns: the judgement as it now stands.
    /// - Throws: `DomainError.forbidden`/`.refused`/`.incomplete` saying what is needed;
    ///   `.stale` with the judgement as it is now; `FieldError` for a level off the scale.
    static func setJudgement(
        _ criterion: String, in context: AssessmentInCycle, change: JudgementChange, expectedVersion: Int,
        reader: Reader, caller: Caller, on db: any Database
    ) async throws -> JudgementState {
        let framework = context.framework
        guard let criterionIndex = framework.criteria.firstIndex(where: { $0.criterion.code == criterion }) else {
            throw DomainError.notFound("criterion")
        }
        guard expectedVersion >= 0 else { throw FieldError("version", "version is the judgement's version as last read: 0 or more") }
        if case .some(.some(let level)) = change.level, !framework.levels.contains(level) {
            throw FieldError("level", "Level \(level) is not on the scale (\(framework.levels.lowerBound)–\(framework.levels.upperBound))")
        }
        let code = context.member.organisation.code
        let kind = context.assessment.kind
        do {
            return try await Audit.transaction(on: db, caller: caller) { tx, audit in
                let writing = try await JudgementWriter.Context.load(
                    cycle: context.cycle, kind: kind, writer: reader, only: [code], historyPerField: true, now: caller.now, on: tx)
                guard let organisation = writing.codes.firstIndex(of: code) else {
                    throw DomainError.notFound("organisation in this cycle")
                }
                let writer = JudgementWriter(context: writing, writing: true, on: tx)
                try await writer.write([
                    JudgementWriter.Row(
                        line: nil, organisation: organisation, criterion: criterionIndex, level: change.level, narrative: change.narrative,
                        rationale: change.rationale, expectedVersion: expectedVersion, reason: change.reason)
                ])
                try await writer.finish()
                try await PictureCache.invalidate(cycleID: writing.cycleID, on: tx)
                try await audit.append(
                    AuditEvent(
                        action: "judgement.set", recordType: "assessment", recordID: writer.assessmentIDs[organisation]?.uuidString ?? "",
                        organisationID: context.organisationID, detail: "\(kind.rawValue) \(criterion)"))
                return writer.current(organisation: organisation, criterion: criterionIndex)
            }
        } catch let refusal as JudgementWriter.Refusal {
            if case .stale = refusal.error {
            } else {
                try await Audit.record(
                    AuditEvent(
                        action: "judgement.set", recordType: "assessment", recordID: context.assessment.id?.uuidString ?? "",
                        organisationID: context.organisationID, outcome: .denied, detail: "\(kind.rawValue) \(criterion): \(refusal.error)"),
                    caller: caller, on: db)
            }
            throw refusal.error
        }
    }

    /// Recomputes the stored results from the judgements: the write path keeps them
    /// current so that reading the national picture never has to.
    static func refreshResults(_ assessment: Assessment, framework: Framework, tier: RiskTier?, on db: any Database) async throws {
        let judgements = try await Judgement.query(on: db).filter(\.$id.$assessment.$id == assessment.requireID()).all()
        var levels: CriterionLevels = [:]
        for judgement in judgements { if let level = judgement.level { levels[judgement.criterionCode] = level } }
        let result = framework.result(for: levels, tier: tier)
        let json = AreaLevels.encode(result.areaLevels)
        try await Assessment.query(on: db).filter(\.$id == assessment.requireID())
            .set(\.$areaLevelsJSON, to: json)
            .set(\.$overallStage, to: result.overallStage)
            .set(\.$meetsMinimum, to: result.meetsMinimum)
            .update()
        assessment.areaLevelsJSON = json
        assessment.overallStage = result.overallStage
        assessment.meetsMinimum = result.meetsMinimum
        try await PictureCache.invalidate(cycleID: assessment.$cycle.id, on: db)
    }

    /// Moves the assessment through its workflow, checking completeness first.
    /// - Throws: `DomainError.refused` naming the moves allowed and who may make them;
    ///   `.incomplete` with the criteria still incomplete; `.stale` when it moved since
    ///   `expectedVersion`; `.incomplete` on `reason` for a move back without one.
    static func transition(
        _ context: AssessmentInCycle, to target: AssessmentStatus, expectedVersion: Int, reason: String?,
        reader: Reader, caller: Caller, on db: any Database
    ) async throws {
        let assessment = context.assessment
        let clearance = try await context.require(.move(to: target, reason: reason), by: reader, caller: caller, on: db)
        let entries = Dictionary(assessment.loadedJudgements.map { ($0.criterionCode, $0.entry) }, uniquingKeysWith: { a, _ in a })
        let missing = AssessmentWorkflow.missing(for: context.framework, entries: entries, narratives: clearance)
        if target.order > assessment.status.order && !missing.isEmpty {
            throw DomainError.incomplete(
                field: "judgements",
                message: clearance.readable
                    ? "\(missing.count) criteria are not complete" : "The \(assessment.kind.displayName.lowercased()) is not complete",
                missing: missing)
        }
        let from = assessment.status
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            let now = caller.now
            let assessmentID = try await store(assessment, at: now, on: tx)
            let applied = try await VersionedUpdate.apply(
                table: Assessment.schema, id: assessmentID, expectedVersion: expectedVersion, values: [("status", target.rawValue)],
                at: now, on: tx)
            guard applied else {
                let fresh = try await Assessment.find(assessmentID, on: tx)
                throw DomainError.stale(current: StaleAssessment(status: fresh?.status ?? from, version: fresh?.version ?? expectedVersion))
            }
            try await AssessmentHistory(
                assessmentID: assessmentID, criterion: nil, field: "status", old: from.rawValue, new: target.rawValue, reason: reason,
                by: reader.principal.userID, at: now
            ).create(on: tx)
            // Movement in the cycles that follow counts only final inspections.
            try await PictureCache.invalidate(cycleID: assessment.$cycle.id, on: tx)
            try await audit.append(
                AuditEvent(
                    action: "assessment.transition", recordType: "assessment", recordID: assessmentID.uuidString,
                    organisationID: assessment.$organisation.id,
                    detail: "\(assessment.kind.rawValue): \(from.rawValue) to \(target.rawValue)"))
        }
        assessment.status = target
        assessment.version = expectedVersion + 1
    }

    /// Raises or lowers the narratives' marking with a reason, kept as a marking change and
    /// in the audit trail.
    static func changeNarrativeMarking(
        _ context: AssessmentInCycle, to level: String?, descriptors: String?, groups: String? = nil, reason: String?,
        confirmedDowngrade: Bool = false, expectedVersion: Int, reader: Reader, caller: Caller, on db: any Database
    ) async throws -> Marking {
        let assessment = context.assessment
        let current = try await assessment.narrativeRecord(in: reader.scheme, on: db)
        var errors = ValidationErrors()
        let checked = reader.checkMarking(level, descriptors: descriptors, errors: &errors)
        let needToKnow = NeedToKnow.check(NeedToKnow.parse(groups, errors: &errors), reader: reader, errors: &errors)
        let lowering =
            checked.map { reader.scheme.isDowngrade(from: current.marking, to: $0) } ?? false
            || !current.requiredGroups.isSubset(of: needToKnow)
        try await context.require(.remark(lowering: lowering), by: reader, caller: caller, on: db)
        let why = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if why.isEmpty { errors.add("reason", "Give the reason for changing the marking") }
        if checked == current.marking && needToKnow == current.requiredGroups {
            errors.add("marking", "The narratives are already marked \(current.marking)")
        }
        try errors.throwIfAny()
        guard let marking = checked else { throw FieldError("marking", "Choose a marking") }
        if let refusal = reader.scheme.downgradeRefusal(from: current.marking, to: marking, confirmed: confirmedDowngrade) { throw refusal }
        // Dropping a need-to-know group widens who may read, as lowering the marking does.
        if !confirmedDowngrade && !current.requiredGroups.isSubset(of: needToKnow) {
            throw DomainError.incomplete(
                field: "confirm_downgrade",
                message: "Removing a need-to-know group lets more people read these narratives: confirm that you mean to widen access",
                missing: [])
        }
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            let now = caller.now
            let id = try await store(assessment, at: now, on: tx)
            guard
                try await VersionedUpdate.apply(
                    table: Assessment.schema, id: id, expectedVersion: expectedVersion,
                    values: [("narrative_marking", marking.level), ("narrative_descriptors", marking.storedDescriptors)], at: now, on: tx)
            else {
                let fresh = try await Assessment.find(id, on: tx)
                throw DomainError.stale(
                    current: StaleAssessment(status: fresh?.status ?? assessment.status, version: fresh?.version ?? expectedVersion))
            }
            let change = MarkingChange()
            change.recordType = RecordType.inspectionNarrative.rawValue
            change.recordID = id
            change.fromMarking = current.marking.description
            change.toMarking = marking.description
            change.reason = why
            change.$changedBy.id = reader.principal.userID
            change.changedAt = now
            try await change.create(on: tx)
            // The assessment's own history shows the change too; its reason, like every
            // reason there, is shown only to those who may read the narratives.
            try await AssessmentHistory(
                assessmentID: id, criterion: nil, field: "marking", old: current.marking.description, new: marking.description, reason: why,
                by: reader.principal.userID, at: now
            ).create(on: tx)
            try await NeedToKnow.replace(needToKnow, type: .inspectionNarrative, id: id, on: tx)
            try await audit.append(
                AuditEvent(
                    action: "marking.change", recordType: change.recordType, recordID: id.uuidString,
                    organisationID: context.organisationID,
                    detail: "\(assessment.kind.rawValue) narratives from \(current.marking) to \(marking): \(why)"))
        }
        assessment.narrativeMarkingLevel = marking.level
        assessment.narrativeDescriptors = marking.storedDescriptors
        assessment.version = expectedVersion + 1
        return marking
    }

    /// History fields that hold narrative text, withheld with the narratives.
    static let narrativeFields: Set<String> = ["narrative", "rationale"]

    /// The assessment's history, newest first; none before it is stored.
    static func history(of assessment: Assessment, on db: any Database) async throws -> [AssessmentHistory] {
        guard let id = assessment.id else { return [] }
        return try await AssessmentHistory.query(on: db).filter(\.$assessment.$id == id)
            .with(\.$changedBy).sort(\.$changedAt, .descending).all()
    }

    /// One history line as a reader may see it.
    struct ReadableHistoryLine {
        var line: AssessmentHistory
        /// The reason given, or nil when none was or it is withheld.
        var reason: String?
        var reasonWithheld: Bool
    }

    /// The history as `narratives` lets its reader see it, for the page and the API alike:
    /// changes to narrative text are left out, and reasons (which discuss the judgements and
    /// so carry their marking) are withheld, when the reader's vetting does not cover the
    /// narratives' marking.
    static func history(
        of assessment: Assessment, readableAs narratives: NarrativeAccess, on db: any Database
    ) async throws
        -> [ReadableHistoryLine]
    {
        try await history(of: assessment, on: db)
            .filter { narratives.readable || !narrativeFields.contains($0.field) }
            .map { line in
                ReadableHistoryLine(
                    line: line, reason: narratives.readable ? line.reason : nil, reasonWithheld: !narratives.readable && line.reason != nil)
            }
    }
}

/// An assessment's workflow position as it is now, for a stale transition's answer.
struct StaleAssessment: StalePresentable {
    var status: AssessmentStatus
    var version: Int

    struct Current: Encodable, Sendable {
        var status: AssessmentStatus
        var version: Int
    }

    func presentation(for reader: Reader?, at now: Date) -> any Encodable & Sendable {
        Current(status: status, version: version)
    }
}
