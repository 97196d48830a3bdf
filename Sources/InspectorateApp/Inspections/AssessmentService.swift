import Fluent
import Vapor
import InspectorateCore

/// Reading and writing assessments: judgements with history, the workflow, and results
/// kept current on every write.
enum AssessmentService {
    /// The assessment, created empty on first use.
    static func assessment(_ kind: AssessmentKind, for member: CycleOrganisation, in cycle: Cycle, on db: any Database) async throws -> Assessment {
        let cycleID = try cycle.requireID()
        let query = Assessment.query(on: db).filter(\.$cycle.$id == cycleID)
            .filter(\.$organisation.$id == member.$organisation.id).filter(\.$kind == kind).with(\.$judgements)
        if let existing = try await query.first() { return existing }
        let assessment = Assessment(cycleID: try cycle.requireID(), organisationID: member.$organisation.id, kind: kind)
        do {
            try await assessment.create(on: db)
        } catch {
            // Another request may have created it first: use theirs.
            guard let databaseError = error as? any DatabaseError, databaseError.isConstraintFailure,
                  let existing = try await query.first() else { throw error }
            return existing
        }
        assessment.$judgements.value = []
        return assessment
    }

    struct JudgementChange: Sendable {
        var level: Int??
        var narrative: String?
        var rationale: String?
        /// Required for changes after submission (moderation).
        var reason: String?
    }

    /// Writes one criterion's judgement if nobody changed it since `expectedVersion`
    /// (0 for a criterion not yet judged), recording every field changed.
    static func setJudgement(_ criterion: String, in assessment: Assessment, change: JudgementChange, expectedVersion: Int,
                             framework: Framework, tier: RiskTier?, by user: User, actor: AuditActor, on db: any Database) async throws -> Judgement {
        guard let (_, definition) = framework.criteria.first(where: { $0.criterion.code == criterion }) else {
            throw AppError.notFound("criterion")
        }
        if assessment.status.isLocked {
            throw AppError.conflict(field: "status", "This assessment is final and locked; it can no longer change")
        }
        if case .some(.some(let level)) = change.level, !framework.levels.contains(level) {
            throw AppError.invalid("level", "Level \(level) is not on the scale (\(framework.levels.lowerBound)–\(framework.levels.upperBound))")
        }
        if assessment.status != .draft && (change.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw AppError.invalid("reason", "Give the reason for changing a judgement after submission")
        }
        let assessmentID = try assessment.requireID()
        return try await Audit.transaction(on: db, actor: actor) { tx, audit in
            let key = Judgement.IDValue(assessmentID: assessmentID, criterion: criterion)
            let existing = try await Judgement.find(key, on: tx)
            let current = existing?.version ?? 0
            guard current == expectedVersion else {
                if let existing { throw AppError.stale(current: JudgementDTO(existing, descriptor: definition)) }
                throw AppError.conflict(field: "version", "This criterion has not been judged yet: send version 0")
            }
            let judgement = existing ?? Judgement(assessmentID: assessmentID, criterion: criterion)
            var history: [AssessmentHistory] = []
            func record(_ field: String, _ old: String?, _ new: String?) {
                if old != new {
                    history.append(AssessmentHistory(assessmentID: assessmentID, criterion: criterion, field: field, old: old, new: new, reason: change.reason, by: user.id))
                }
            }
            if let level = change.level { record("level", judgement.level.map(String.init), level.map(String.init)); judgement.level = level }
            if let narrative = change.narrative { record("narrative", judgement.narrative, narrative); judgement.narrative = narrative }
            if let rationale = change.rationale { record("rationale", judgement.rationale, rationale); judgement.rationale = rationale }
            judgement.$updatedBy.id = user.id
            judgement.updatedAt = Date()
            if existing == nil {
                judgement.version = 1
                try await judgement.create(on: tx)
            } else {
                // The version check and the write are one statement, so two writers
                // holding the same version cannot both succeed.
                let applied = try await VersionedUpdate.apply(table: Judgement.schema, key: [("assessment_id", assessmentID), ("criterion_code", criterion)],
                                                          expectedVersion: expectedVersion,
                    values: [("level", judgement.level), ("narrative", judgement.narrative), ("rationale", judgement.rationale), ("updated_by", user.id)],
                    on: tx)
                guard applied else {
                    let fresh = try await Judgement.find(key, on: tx)!
                    throw AppError.stale(current: JudgementDTO(fresh, descriptor: definition))
                }
                judgement.version = expectedVersion + 1
            }
            for entry in history { try await entry.create(on: tx) }
            try await refreshResults(assessment, framework: framework, tier: tier, on: tx)
            try await audit.append(AuditEvent(action: "judgement.set", recordType: "assessment", recordID: assessmentID.uuidString,
                                              organisationID: assessment.$organisation.id,
                                              detail: "\(assessment.kind.rawValue) \(criterion): \(history.map(\.field).joined(separator: ", ")) changed"))
            return judgement
        }
    }

    /// Recomputes the stored results from the judgements: the write path keeps them
    /// current so that reading the national picture never has to.
    static func refreshResults(_ assessment: Assessment, framework: Framework, tier: RiskTier?, on db: any Database) async throws {
        let judgements = try await Judgement.query(on: db).filter(\.$id.$assessment.$id == assessment.requireID()).all()
        var levels: CriterionLevels = [:]
        for judgement in judgements { if let level = judgement.level { levels[judgement.criterionCode] = level } }
        let result = framework.result(for: levels, tier: tier)
        let json = encodeAreaLevels(result.areaLevels)
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

    /// `{"area": level, …}` with keys sorted, as `assessments.area_levels` holds it. Written
    /// by hand: a bulk import writes tens of thousands, and an encoder per one cost more
    /// than the rest of computing its results.
    static func encodeAreaLevels(_ levels: [String: Int]) -> String {
        var bytes: [UInt8] = [0x7B]
        for (index, (area, level)) in levels.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { bytes.append(0x2C) }
            JSONRows.appendString(area, to: &bytes)
            bytes.append(0x3A)
            bytes.append(contentsOf: String(level).utf8)
        }
        bytes.append(0x7D)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Moves the assessment through its workflow, checking completeness first.
    static func transition(_ assessment: Assessment, to target: AssessmentStatus, expectedVersion: Int, reason: String?,
                           framework: Framework, principal: Principal, isOwnOrganisation: Bool, by user: User, actor: AuditActor,
                           on db: any Database) async throws {
        let allowed = AssessmentWorkflow.transitions(from: assessment.status, kind: assessment.kind, principal: principal, isOwnOrganisation: isOwnOrganisation)
        guard allowed.contains(target) else {
            throw AppError(status: .conflict, code: "transition_not_allowed",
                           message: allowed.isEmpty ? "You cannot move this \(assessment.status.rawValue) assessment on"
                                                    : "From \(assessment.status.rawValue) you may move it to \(allowed.map(\.rawValue).joined(separator: " or "))",
                           field: "to")
        }
        let judgements = try await Judgement.query(on: db).filter(\.$id.$assessment.$id == assessment.requireID()).all()
        let entries = Dictionary(judgements.map { ($0.criterionCode, $0.entry) }, uniquingKeysWith: { a, _ in a })
        let missing = AssessmentWorkflow.missing(for: framework, entries: entries)
        let movingForward = AssessmentStatus.allCases.firstIndex(of: target)! > AssessmentStatus.allCases.firstIndex(of: assessment.status)!
        if movingForward && !missing.isEmpty {
            throw AppError(status: .unprocessableEntity, code: "incomplete",
                           message: "\(missing.count) criteria are not complete", field: "judgements", problems: missing)
        }
        if !movingForward && (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw AppError.invalid("reason", "Give the reason for sending the assessment back")
        }
        let assessmentID = try assessment.requireID()
        try await Audit.transaction(on: db, actor: actor) { tx, audit in
            let applied = try await VersionedUpdate.apply(table: Assessment.schema, id: assessmentID, expectedVersion: expectedVersion,
                                                          values: [("status", target.rawValue)], on: tx)
            guard applied else {
                throw AppError.stale(current: ["status": assessment.status.rawValue])
            }
            try await AssessmentHistory(assessmentID: assessmentID, criterion: nil, field: "status", old: assessment.status.rawValue,
                                        new: target.rawValue, reason: reason, by: user.id).create(on: tx)
            // Movement in the cycles that follow counts only final inspections.
            try await PictureCache.invalidate(cycleID: assessment.$cycle.id, on: tx)
            try await audit.append(AuditEvent(action: "assessment.transition", recordType: "assessment", recordID: assessmentID.uuidString,
                                              organisationID: assessment.$organisation.id,
                                              detail: "\(assessment.kind.rawValue): \(assessment.status.rawValue) to \(target.rawValue)\(reason.map { ": \($0)" } ?? "")"))
        }
        assessment.status = target
        assessment.version = expectedVersion + 1
    }

    /// Those who write an assessment, and lead inspectors who moderate it, mark its narratives.
    static func canChangeNarrativeMarking(_ assessment: Assessment, organisationID: UUID, principal: Principal) -> Bool {
        principal.role == .leadInspector
            || AssessmentWorkflow.canEdit(assessment.kind, status: assessment.status, organisationID: organisationID, principal: principal)
    }

    /// Raises or lowers the narratives' marking with a reason, kept as a marking change and
    /// in the audit trail.
    static func changeNarrativeMarking(_ assessment: Assessment, organisationID: UUID, to level: String?, descriptors: String?, groups: String? = nil, reason: String?,
                                       expectedVersion: Int, reader: Reader, actor: AuditActor, on db: any Database) async throws -> Marking {
        let current = try await assessment.narrativeRecord(in: reader.scheme, on: db)
        guard reader.canRead(current), canChangeNarrativeMarking(assessment, organisationID: organisationID, principal: reader.principal) else {
            throw AppError(status: .forbidden, code: "not_permitted", message: "You cannot change the marking of these narratives", field: "marking")
        }
        if assessment.status.isLocked { throw AppError.conflict(field: "status", "This assessment is final and locked; it can no longer change") }
        var errors = ValidationErrors()
        let marking = reader.checkMarking(level, descriptors: descriptors, errors: &errors)
        let needToKnow = NeedToKnow.check(NeedToKnow.parse(groups, errors: &errors), reader: reader, errors: &errors)
        let why = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if why.isEmpty { errors.add("reason", "Give the reason for changing the marking") }
        if marking == current.marking && needToKnow == current.requiredGroups {
            errors.add("marking", "The narratives are already marked \(current.marking)")
        }
        try errors.throwIfAny()
        let id = try assessment.requireID()
        let applied = try await Audit.transaction(on: db, actor: actor) { tx, audit in
            guard try await VersionedUpdate.apply(table: Assessment.schema, id: id, expectedVersion: expectedVersion,
                                                  values: [("narrative_marking", marking!.level), ("narrative_descriptors", marking!.storedDescriptors)], on: tx) else {
                return false
            }
            let change = MarkingChange()
            change.recordType = RecordType.inspectionNarrative.rawValue
            change.recordID = id
            change.fromMarking = current.marking.description
            change.toMarking = marking!.description
            change.reason = why
            change.$changedBy.id = reader.user.id
            change.changedAt = Date()
            try await change.create(on: tx)
            try await NeedToKnow.replace(needToKnow, type: .inspectionNarrative, id: id, on: tx)
            try await audit.append(AuditEvent(action: "marking.change", recordType: change.recordType, recordID: id.uuidString, organisationID: organisationID,
                                              detail: "\(assessment.kind.rawValue) narratives from \(current.marking) to \(marking!): \(why)"))
            return true
        }
        if !applied { throw AppError.stale(current: ["version": expectedVersion]) }
        assessment.narrativeMarkingLevel = marking!.level
        assessment.narrativeDescriptors = marking!.storedDescriptors
        assessment.version = expectedVersion + 1
        return marking!
    }

    /// History fields that hold narrative text, withheld with the narratives.
    static let narrativeFields: Set<String> = ["narrative", "rationale"]

    static func history(of assessment: Assessment, on db: any Database) async throws -> [AssessmentHistory] {
        try await AssessmentHistory.query(on: db).filter(\.$assessment.$id == assessment.requireID())
            .with(\.$changedBy).sort(\.$changedAt, .descending).all()
    }
}
