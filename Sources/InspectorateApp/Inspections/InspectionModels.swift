import Fluent
import InspectorateCore
import Vapor

final class Cycle: Model, @unchecked Sendable {
    static let schema = "cycles"

    /// The day by which `tier`'s minimum is required in this cycle: the cycle's own date, or
    /// the framework's.
    func deadline(of tier: RiskTier) -> String {
        tierDeadlines[tier.code] ?? tier.deadline
    }

    var tierDeadlines: [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(tierDeadlinesJSON.utf8))) ?? [:]
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "title") var title: String
    @Parent(key: "framework_id") var framework: FrameworkRecord
    /// Calendar dates (YYYY-MM-DD): the day matters, not the instant.
    @Field(key: "self_assessment_due") var selfAssessmentDue: String
    @Field(key: "fieldwork_start") var fieldworkStart: String
    @Field(key: "fieldwork_end") var fieldworkEnd: String
    @Field(key: "moderation_due") var moderationDue: String
    @Field(key: "publication") var publication: String
    @Field(key: "version") var version: Int
    /// The cycle this one follows, for carrying assessments forward and showing movement.
    @OptionalParent(key: "previous_cycle_id") var previous: Cycle?
    /// Open cycles take changes; a closed one takes none.
    @Field(key: "status") var status: CycleStatus
    /// The day by which each tier's minimum is required in this cycle, by tier code
    /// (`{"tier-1": "2010-03-31"}`); a tier not named keeps the framework's deadline.
    @Field(key: "tier_deadlines") var tierDeadlinesJSON: String
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    init() {}
}

/// An organisation in a cycle's scope, with its current risk tier.
final class CycleOrganisation: Model, @unchecked Sendable {
    static let schema = "cycle_organisations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Parent(key: "organisation_id") var organisation: Organisation
    @OptionalField(key: "tier_code") var tierCode: String?

    init() {}

    init(cycleID: UUID, organisationID: UUID) {
        self.$cycle.id = cycleID
        self.$organisation.id = organisationID
    }
}

final class RiskTierChange: Model, @unchecked Sendable {
    static let schema = "risk_tier_changes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Parent(key: "organisation_id") var organisation: Organisation
    @OptionalField(key: "from_tier") var fromTier: String?
    @Field(key: "to_tier") var toTier: String
    @Field(key: "rationale") var rationale: String
    @Field(key: "marking") var marking: String
    @Field(key: "marking_descriptors") var markingDescriptors: String
    @OptionalParent(key: "changed_by") var changedBy: User?
    @Field(key: "changed_at") var changedAt: Date

    init() {}

    var markingValue: Marking {
        Marking(level: marking, storedDescriptors: markingDescriptors)
    }
}

final class Assessment: Model, @unchecked Sendable {
    static let schema = "assessments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Parent(key: "organisation_id") var organisation: Organisation
    @Field(key: "kind") var kind: AssessmentKind
    @Field(key: "status") var status: AssessmentStatus
    /// JSON object of area code to level: the results, kept current on every write.
    @Field(key: "area_levels") var areaLevelsJSON: String
    @OptionalField(key: "overall_stage") var overallStage: Int?
    @Field(key: "meets_minimum") var meetsMinimum: Bool
    @Field(key: "version") var version: Int
    /// The marking of the narratives and rationales; nil until chosen means the scheme's
    /// default for inspection narratives.
    @OptionalField(key: "narrative_marking") var narrativeMarkingLevel: String?
    @Field(key: "narrative_descriptors") var narrativeDescriptors: String
    @Children(for: \.$id.$assessment) var judgements: [Judgement]
    /// The judgements loaded with it: none for an assessment not yet stored (made, not
    /// loaded). Reading `judgements` itself traps when they were not loaded, so code reads this.
    var loadedJudgements: [Judgement] { $judgements.value ?? [] }
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    init() {}

    init(cycleID: UUID, organisationID: UUID, kind: AssessmentKind) {
        self.$cycle.id = cycleID
        self.$organisation.id = organisationID
        self.kind = kind
        self.status = .draft
        self.areaLevelsJSON = "{}"
        self.meetsMinimum = false
        self.version = 1
        self.narrativeDescriptors = ""
    }

    func narrativeMarking(in scheme: MarkingScheme) -> Marking {
        guard let level = narrativeMarkingLevel else { return scheme.defaultMarking(for: .inspectionNarrative) }
        return Marking(level: level, storedDescriptors: narrativeDescriptors)
    }

    /// The narratives as a marked record of the assessed organisation, with their
    /// need-to-know groups.
    func narrativeRecord(in scheme: MarkingScheme, on db: any Database) async throws -> MarkedRecord {
        var groups: Set<UUID> = []
        if let id { groups = try await NeedToKnow.groups(of: [id], on: db)[id] ?? [] }
        return MarkedRecord(marking: narrativeMarking(in: scheme), requiredGroups: groups, organisationID: $organisation.id)
    }

    /// The stored results' area levels.
    /// - Throws: `DomainError.unavailable` when the stored JSON does not read (never expected).
    var areaLevels: [String: Int] {
        get throws { try AreaLevels.decode(areaLevelsJSON) }
    }
}

final class Judgement: Model, @unchecked Sendable {
    static let schema = "judgements"

    /// A judgement is known by its assessment and criterion, with no surrogate key: the
    /// table is then one tree in that order (WITHOUT ROWID on SQLite), which halves what a
    /// bulk import of millions of judgements writes.
    final class IDValue: Fields, Hashable, @unchecked Sendable {
        @Parent(key: "assessment_id") var assessment: Assessment
        @Field(key: "criterion_code") var criterionCode: String

        init() {}

        init(assessmentID: UUID, criterion: String) {
            $assessment.id = assessmentID
            criterionCode = criterion
        }

        static func == (lhs: IDValue, rhs: IDValue) -> Bool {
            lhs.$assessment.id == rhs.$assessment.id && lhs.criterionCode == rhs.criterionCode
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine($assessment.id)
            hasher.combine(criterionCode)
        }
    }

    @CompositeID var id: IDValue?
    @OptionalField(key: "level") var level: Int?
    @Field(key: "narrative") var narrative: String
    @Field(key: "rationale") var rationale: String
    @Field(key: "version") var version: Int
    @OptionalParent(key: "updated_by") var updatedBy: User?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    /// A judgement not yet written: empty text, version 0.
    init(assessmentID: UUID, criterion: String) {
        id = IDValue(assessmentID: assessmentID, criterion: criterion)
        narrative = ""
        rationale = ""
        version = 0
    }

    /// The criterion; a judgement read from the database always has its key.
    var criterionCode: String { id?.criterionCode ?? "" }
    var entry: JudgementEntry { JudgementEntry(level: level, narrative: narrative, rationale: rationale) }
}

final class AssessmentHistory: Model, @unchecked Sendable {
    static let schema = "assessment_history"

    @ID(key: .id) var id: UUID?
    @Parent(key: "assessment_id") var assessment: Assessment
    @OptionalField(key: "criterion_code") var criterionCode: String?
    @Field(key: "field") var field: String
    @OptionalField(key: "old_value") var oldValue: String?
    @OptionalField(key: "new_value") var newValue: String?
    @OptionalField(key: "reason") var reason: String?
    @OptionalParent(key: "changed_by") var changedBy: User?
    @Field(key: "changed_at") var changedAt: Date

    init() {}

    init(assessmentID: UUID, criterion: String?, field: String, old: String?, new: String?, reason: String?, by user: UUID?, at: Date) {
        self.$assessment.id = assessmentID
        self.criterionCode = criterion
        self.field = field
        self.oldValue = old
        self.newValue = new
        self.reason = reason
        self.$changedBy.id = user
        self.changedAt = at
    }
}
