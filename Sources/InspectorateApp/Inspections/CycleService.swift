import Fluent
import InspectorateCore
import Vapor

/// What a new cycle needs.
struct CycleInput: Sendable {
    var code: String?
    var title: String?
    var framework: String?
    var selfAssessmentDue: String?
    var fieldworkStart: String?
    var fieldworkEnd: String?
    var moderationDue: String?
    var publication: String?
    /// Organisation codes in scope; nil means every police force and agency.
    var organisations: [String]?
    /// Code of the cycle this one follows.
    var previous: String?
    /// Every organisation of this kind, when no codes are given.
    var kind: OrganisationKind? = nil
    /// The day by which each tier's minimum is required in this cycle, by tier code; tiers
    /// not given keep the framework's deadline.
    var deadlines: [String: String] = [:]
}

enum CycleService {
    static func create(_ input: CycleInput, caller: Caller, on db: any Database) async throws -> Cycle {
        var errors = ValidationErrors()
        let code = (input.code ?? "").trimmingCharacters(in: .whitespaces)
        do { try OrganisationCode.validate(code) } catch let error as FieldError { errors.add(error.field, error.message) }
        let title = (input.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { errors.add("title", "Enter a title, like Prevent inspection 2009") }
        var framework: FrameworkRecord?
        if let reference = input.framework, !reference.isEmpty {
            do {
                framework = try await FrameworkService.require(reference: reference, on: db)
            } catch DomainError.notFound {
                errors.add("framework", "No framework version \(reference); give CODE@VERSION of an imported framework")
            } catch let error as FieldError {
                errors.add(error.field, error.message)
            }
        } else {
            errors.add("framework", "Choose the framework version this cycle uses")
        }
        let dates: [(String, String?)] = [
            ("self_assessment_due", input.selfAssessmentDue), ("fieldwork_start", input.fieldworkStart),
            ("fieldwork_end", input.fieldworkEnd), ("moderation_due", input.moderationDue),
            ("publication", input.publication),
        ]
        var parsed: [(String, CivilDate)] = []
        for (field, raw) in dates {
            guard let raw, !raw.isEmpty else { errors.add(field, "Enter a date like 2009-09-30"); continue }
            do { parsed.append((field, try CivilDate.parse(raw, field: field))) } catch let error as FieldError {
                errors.add(error.field, error.message)
            }
        }
        if parsed.count == dates.count {
            for (earlier, later) in zip(parsed, parsed.dropFirst()) where later.1 < earlier.1 {
                errors.add(
                    later.0,
                    "\(later.0.replacingOccurrences(of: "_", with: " ")) must not be before \(earlier.0.replacingOccurrences(of: "_", with: " "))"
                )
            }
        }
        var organisations: [Organisation] = []
        if let given = input.organisations {
            // Codes, names and aliases, as imports take them.
            let all = try await Organisation.query(on: db).all()
            let index = try await OrganisationService.nameIndex(of: all, on: db)
            var chosen = Set<Int>()
            for text in given {
                switch index.match(text) {
                case .found(let position): chosen.insert(position)
                case .ambiguous: errors.add("organisations", "\(text) names more than one organisation: give its code")
                case .unknown: errors.add("organisations", "No organisation has the code or name \(text)")
                }
            }
            if given.isEmpty { errors.add("organisations", "Choose at least one organisation") }
            organisations = chosen.sorted().map { all[$0] }
        } else if let kind = input.kind {
            organisations = try await Organisation.query(on: db).filter(\.$kind == kind).all()
            if organisations.isEmpty { errors.add("kind", "No organisation is of the kind \(kind.rawValue)") }
        } else {
            organisations = try await Organisation.query(on: db).filter(\.$kind != .partnerBody).all()
        }
        var previous: Cycle?
        if let earlier = input.previous, !earlier.isEmpty {
            previous = try await Cycle.query(on: db).filter(\.$code == earlier).first()
            if previous == nil { errors.add("previous", "No cycle has the code \(earlier)") }
        }
        try errors.throwIfAny()
        if try await Cycle.query(on: db).filter(\.$code == code).count() > 0 {
            throw DomainError.conflict(field: "code", message: "A cycle with the code \(code) already exists")
        }
        guard let framework, parsed.count == dates.count else {
            throw FieldError("framework", "Choose the framework version this cycle uses")
        }
        let tierDeadlines = try deadlines(input.deadlines, for: try framework.framework())
        let day = Dictionary(uniqueKeysWithValues: parsed.map { ($0.0, $0.1.description) })
        let cycle = Cycle()
        cycle.code = code
        cycle.title = title
        cycle.$framework.id = try framework.requireID()
        cycle.selfAssessmentDue = day["self_assessment_due"] ?? ""
        cycle.fieldworkStart = day["fieldwork_start"] ?? ""
        cycle.fieldworkEnd = day["fieldwork_end"] ?? ""
        cycle.moderationDue = day["moderation_due"] ?? ""
        cycle.publication = day["publication"] ?? ""
        cycle.version = 1
        cycle.$previous.id = previous?.id
        cycle.status = .open
        cycle.tierDeadlinesJSON = JSONText.encode(tierDeadlines)
        cycle.createdAt = caller.now
        cycle.updatedAt = cycle.createdAt
        let inScope = organisations
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            try await cycle.create(on: tx)
            let cycleID = try cycle.requireID()
            try await BulkInsert.rows(
                into: CycleOrganisation.schema, columns: ["id", "cycle_id", "organisation_id"],
                values: try inScope.map { [UUID(), cycleID, try $0.requireID()] }, on: tx)
            try await audit.append(
                AuditEvent(
                    action: "cycle.create", recordType: "cycle", recordID: cycleID.uuidString,
                    detail: "\(cycle.code): \(inScope.count) organisations"))
        }
        return cycle
    }

    /// The deadlines a cycle sets for its tiers, checked: each names a tier of the framework
    /// and is a date.
    static func deadlines(_ given: [String: String], for framework: Framework) throws -> [String: String] {
        var errors = ValidationErrors()
        var checked: [String: String] = [:]
        for (tier, text) in given.sorted(by: { $0.key < $1.key }) {
            guard framework.tier(tier) != nil else {
                errors.add(
                    "deadlines.\(tier)",
                    "\(tier) is not a tier of \(framework.reference): use \(framework.tiers.map(\.code).joined(separator: ", "))")
                continue
            }
            if text.isBlank { continue }
            do { checked[tier] = try CivilDate.parse(text, field: "deadlines.\(tier)").description } catch let error as FieldError {
                errors.add(error.field, error.message)
            }
        }
        try errors.throwIfAny()
        return checked
    }

    /// Closes a cycle (it then takes no changes) or opens it again: administrators and lead
    /// inspectors, with the reason kept in the trail.
    /// Opens or closes a cycle, with a reason: administrators and lead inspectors.
    ///
    /// - Throws: `.forbidden` for anyone else; `.conflict` on `status` when it already is;
    ///   `FieldError` on `reason`; `.stale` when the cycle changed after `expectedVersion`.
    static func setStatus(
        _ cycle: Cycle, to status: CycleStatus, reason: String?, expectedVersion: Int? = nil, reader: Reader, caller: Caller,
        on db: any Database
    ) async throws {
        guard AccessRule.canCreateCycles(reader.principal) else {
            throw DomainError.forbidden(reason: "Cycles are opened and closed by administrators and lead inspectors")
        }
        guard cycle.status != status else {
            throw DomainError.conflict(field: "status", message: "The cycle is already \(status.rawValue)")
        }
        let why = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if why.isEmpty { throw FieldError("reason", "Give the reason for \(status == .closed ? "closing" : "reopening") the cycle") }
        let id = try cycle.requireID()
        let version = expectedVersion ?? cycle.version
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            guard
                try await VersionedUpdate.apply(
                    table: Cycle.schema, id: id, expectedVersion: version, values: [("status", status.rawValue)], at: caller.now, on: tx)
            else { throw DomainError.stale(current: nil) }
            try await audit.append(
                AuditEvent(
                    action: "cycle.\(status == .closed ? "close" : "reopen")", recordType: "cycle", recordID: id.uuidString,
                    detail: "\(cycle.code): \(why)"))
        }
        cycle.status = status
        cycle.version = version + 1
    }

    /// Sets the day by which each tier's minimum is required in this cycle: `given` maps tier
    /// codes to dates (YYYY-MM-DD); a tier given an empty date, or not given, keeps the
    /// framework's. Administrators and lead inspectors, in an open cycle.
    ///
    /// - Throws: `.forbidden` for anyone else; `.refused` on `cycle` when it is closed;
    ///   `ValidationErrors` on `deadlines.TIER` for an unknown tier or a date that is not one;
    ///   `.stale` when the cycle changed after `expectedVersion`.
    static func setDeadlines(
        _ cycle: Cycle, to given: [String: String], expectedVersion: Int?, reader: Reader, caller: Caller, on db: any Database
    ) async throws {
        guard AccessRule.canCreateCycles(reader.principal) else {
            throw DomainError.forbidden(reason: "A cycle's deadlines are set by administrators and lead inspectors", field: "deadlines")
        }
        guard cycle.status == .open else {
            throw DomainError.refused(
                field: "cycle", message: "The cycle is closed: nothing in it changes",
                needed: ["a lead inspector or an administrator reopens the cycle"])
        }
        let checked = try deadlines(given, for: try cycle.framework.framework())
        let id = try cycle.requireID()
        let version = expectedVersion ?? cycle.version
        let stored = JSONText.encode(checked)
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            guard
                try await VersionedUpdate.apply(
                    table: Cycle.schema, id: id, expectedVersion: version, values: [("tier_deadlines", stored)], at: caller.now, on: tx)
            else { throw DomainError.stale(current: nil) }
            try await audit.append(
                AuditEvent(
                    action: "cycle.deadlines", recordType: "cycle", recordID: id.uuidString,
                    detail: "\(cycle.code): "
                        + (checked.isEmpty
                            ? "the framework's deadlines"
                            : checked.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))))
        }
        cycle.tierDeadlinesJSON = stored
        cycle.version = version + 1
    }

    /// The cycle `cycle` follows, when the reader may see it (an organisation's people see
    /// only cycles their organisation is in): its code is not shown to anyone else.
    static func visiblePrevious(of cycle: Cycle, scope: OrganisationScope, on db: any Database) async throws -> Cycle? {
        guard let previous = try await cycle.$previous.get(on: db) else { return nil }
        do { return try await require(code: previous.code, scope: scope, on: db) } catch DomainError.notFound { return nil }
    }

    static func list(scope: OrganisationScope, on db: any Database) async throws -> [Cycle] {
        let cycles = try await Cycle.query(on: db).with(\.$framework).sort(\.$selfAssessmentDue, .descending).all()
        guard case .only(let organisationID) = scope else { return scope == .nothing ? [] : cycles }
        // Members and partners see the cycles their organisation is in.
        let mine = Set(try await CycleOrganisation.query(on: db).filter(\.$organisation.$id == organisationID).all().map(\.$cycle.id))
        return cycles.filter { $0.id.map(mine.contains) ?? false }
    }

    /// One cycle by code, if this person may see it: every cycle route starts here.
    static func require(code: String, scope: OrganisationScope, on db: any Database) async throws -> Cycle {
        guard scope != .nothing,
            let cycle = try await Cycle.query(on: db).filter(\.$code == code).with(\.$framework).first()
        else {
            throw DomainError.notFound("cycle")
        }
        if case .only(let organisationID) = scope {
            let member = try await CycleOrganisation.query(on: db).filter(\.$cycle.$id == cycle.requireID())
                .filter(\.$organisation.$id == organisationID).count()
            guard member > 0 else { throw DomainError.notFound("cycle") }
        }
        return cycle
    }

    /// How many organisations in scope of each cycle this person may see, in one query.
    static func memberCounts(scope: OrganisationScope, on db: any Database) async throws -> [UUID: Int] {
        var query = CycleOrganisation.query(on: db)
        switch scope {
        case .all: break
        case .only(let id): query = query.filter(\.$organisation.$id == id)
        case .nothing: return [:]
        }
        return try await query.all().reduce(into: [:]) { counts, member in counts[member.$cycle.id, default: 0] += 1 }
    }

    /// The organisations in scope that this person may see, with their tiers.
    static func members(of cycle: Cycle, scope: OrganisationScope, on db: any Database) async throws -> [CycleOrganisation] {
        let cycleID = try cycle.requireID()
        var query = CycleOrganisation.query(on: db).filter(\.$cycle.$id == cycleID).with(\.$organisation)
        switch scope {
        case .all: break
        case .only(let id): query = query.filter(\.$organisation.$id == id)
        case .nothing: return []
        }
        return try await query.all().sorted { $0.organisation.name < $1.organisation.name }
    }

    /// One organisation of a cycle, by code, in two indexed lookups whatever the cycle's size.
    static func member(
        of cycle: Cycle, organisation code: String, scope: OrganisationScope, on db: any Database
    ) async throws -> CycleOrganisation {
        guard let organisation = try await Organisation.query(on: db).filter(\.$code == code).first(),
            scope.includes(try organisation.requireID()),
            let member = try await CycleOrganisation.query(on: db).filter(\.$cycle.$id == cycle.requireID())
                .filter(\.$organisation.$id == organisation.requireID()).first()
        else {
            throw DomainError.notFound("organisation in this cycle")
        }
        member.$organisation.value = organisation
        return member
    }
}
