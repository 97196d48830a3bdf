import Foundation

/// One due date as it was set: the date, when and by whom, and (for every change after the
/// first) why. Set by a person (`setBy`), or by an import or the shipped data (nil).
public struct DueDateVersion: Equatable, Sendable, Codable {
    public var date: CivilDate
    public var setAt: Date
    public var setBy: UUID?
    /// Why the date was set or moved: required for every change; optional for the first.
    public var reason: String?

    public init(date: CivilDate, setAt: Date, setBy: UUID?, reason: String?) {
        self.date = date
        self.setAt = setAt
        self.setBy = setBy
        self.reason = reason
    }
}

/// A due date that is never overwritten: every change keeps the date it replaces and says
/// why. The Public Accounts Committee complained that departments moved target dates
/// unilaterally; departments must now report a slip at once, with the reason (DOMAIN.md,
/// Recommendations and follow-up), so the history is what the inspectorate is shown.
/// Used for recommendations and for actions alike; who may change which is decided by
/// `RecommendationRules` and `ActionPlanLifecycle`.
public struct DueDateHistory: Equatable, Sendable, Codable {
    /// Oldest first; never empty.
    public private(set) var versions: [DueDateVersion]

    /// The first due date. `note` may say where it came from ("given by the report").
    public init(_ date: CivilDate, setAt: Date, setBy: UUID?, note: String? = nil) {
        versions = [DueDateVersion(date: date, setAt: setAt, setBy: setBy, reason: note)]
    }

    /// Rebuilds a history read back from storage, oldest first.
    /// - Throws: `FieldError` on `due` when `versions` is empty, or a change lacks a reason.
    public init(versions: [DueDateVersion]) throws {
        guard !versions.isEmpty else { throw FieldError("due", "A due date history has at least its first date") }
        if versions.dropFirst().contains(where: { !($0.reason ?? "").hasText }) {
            throw FieldError("reason", "Every change of due date after the first carries its reason")
        }
        self.versions = versions
    }

    /// Decoded through `init(versions:)`, so stored text cannot make an empty history.
    public init(from decoder: any Decoder) throws {
        try self.init(versions: try decoder.singleValueContainer().decode([DueDateVersion].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(versions)
    }

    /// The date in force.
    public var current: CivilDate { versions[versions.count - 1].date }

    /// The date first set.
    public var original: CivilDate { versions[0].date }

    /// Whether the date has ever been moved.
    public var hasChanged: Bool { versions.count > 1 }

    /// Days from the first date to the date in force: positive when it has slipped later.
    public var slipDays: Int { original.days(until: current) }

    /// The date in force at `instant`: the last version set at or before it (the first
    /// one before then).
    public func date(at instant: Date) -> CivilDate {
        versions.last { $0.setAt <= instant }?.date ?? original
    }

    /// The history with `date` in force from `at`, the old date kept.
    /// - Throws: `FieldError` on `reason` when no reason is given, on `due` when the date
    ///   is the one already in force, on `at` when `at` is before the last change.
    public func changing(to date: CivilDate, reason: String, by user: UUID?, at: Date) throws -> DueDateHistory {
        guard reason.hasText else {
            throw FieldError("reason", "Say why the due date moves from \(current) to \(date); the old date is kept")
        }
        guard date != current else {
            throw FieldError("due", "The due date is already \(date)")
        }
        if let last = versions.last, at < last.setAt {
            throw FieldError("at", "A change cannot be dated before the last one")
        }
        var copy = self
        copy.versions.append(
            DueDateVersion(date: date, setAt: at, setBy: user, reason: reason.trimmingCharacters(in: .whitespacesAndNewlines)))
        return copy
    }
}
