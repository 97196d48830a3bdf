import Foundation

/// One organisation's monitoring stages on one ladder: every period with its entry and
/// exit dates and the reason for each move, never overwritten.
public struct MonitoringHistory: Equatable, Sendable {
    public let ladder: String
    /// Oldest first; the last has no exit date.
    public private(set) var periods: [MonitoringPeriod]

    /// Starts the history in `stage` on `entered`.
    /// - Throws: `ValidationErrors` (see `moving`).
    public init(
        ladder: MonitoringLadder, stage: String, entered: CivilDate, reason: String, by: UUID?, deadline: CivilDate? = nil
    ) throws {
        try Self.check(ladder: ladder, stage: stage, on: entered, reason: reason, deadline: deadline, current: nil)
        self.ladder = ladder.code
        periods = [MonitoringPeriod(stage: stage, entered: entered, exited: nil, reason: reason, by: by, deadline: deadline)]
    }

    /// Rebuilds a stored history.
    /// - Throws: `FieldError` on `periods` when empty, out of order, overlapping or open before the last.
    public init(ladder: String, periods: [MonitoringPeriod]) throws {
        guard let last = periods.last, last.exited == nil else {
            throw FieldError("periods", "A monitoring history ends with the stage the organisation is in now")
        }
        for (earlier, later) in zip(periods, periods.dropFirst()) where earlier.exited != later.entered {
            throw FieldError("periods", "Each stage is left on the day the next is entered (\(earlier.stage) then \(later.stage))")
        }
        if periods.contains(where: { period in period.exited.map { $0 < period.entered } ?? false }) {
            throw FieldError("periods", "A stage is not left before it is entered")
        }
        self.ladder = ladder
        self.periods = periods
    }

    /// The period the organisation is in now.
    public var current: MonitoringPeriod { periods[periods.count - 1] }

    /// The period that includes `date`, or nil before the history begins.
    public func period(on date: CivilDate) -> MonitoringPeriod? {
        periods.last { $0.contains(date) }
    }

    /// The history with a move to `stage` on `date`: the current period is left that day.
    /// - Throws: `DomainError.forbidden` unless a lead inspector moves it;
    ///   `ValidationErrors` on `stage` (not on this ladder, or the stage it is already in),
    ///   `reason` (none given), `date` (before the current stage was entered), `deadline`
    ///   (missing where the stage requires one, or not after the move).
    public func moving(
        to stage: String, on date: CivilDate, reason: String, by principal: Principal, deadline: CivilDate? = nil, ladder: MonitoringLadder
    ) throws -> MonitoringHistory {
        try RecommendationRules.checkCanMoveMonitoringStage(principal)
        guard ladder.code == self.ladder else {
            throw ValidationErrors([FieldError("ladder", "This history follows \(self.ladder), not \(ladder.code)")])
        }
        try Self.check(ladder: ladder, stage: stage, on: date, reason: reason, deadline: deadline, current: current)
        var copy = self
        copy.periods[copy.periods.count - 1].exited = date
        copy.periods.append(
            MonitoringPeriod(
                stage: stage, entered: date, exited: nil, reason: reason.trimmingCharacters(in: .whitespacesAndNewlines),
                by: principal.userID, deadline: deadline))
        return copy
    }

    private static func check(
        ladder: MonitoringLadder, stage code: String, on date: CivilDate, reason: String, deadline: CivilDate?, current: MonitoringPeriod?
    ) throws {
        var errors = ValidationErrors()
        let stage = ladder.stage(code)
        if stage == nil {
            errors.add("stage", "Choose one of the stages of \(ladder.title): \(ladder.stages.map(\.code).joined(separator: ", "))")
        }
        if let current, current.stage == code { errors.add("stage", "The organisation is already at \(stage?.name ?? code)") }
        if !reason.hasText { errors.add("reason", "Say why the organisation moves to this stage") }
        if let current, date < current.entered {
            errors.add("date", "A move cannot be dated before the current stage was entered (\(current.entered))")
        }
        if let stage, stage.requiresDeadline {
            if let deadline {
                if deadline <= date { errors.add("deadline", "The deadline comes after the day the stage is entered") }
            } else {
                errors.add("deadline", "\(stage.name) sets a public deadline: enter it")
            }
        }
        try errors.throwIfAny()
    }
}

/// Which organisations are at each stage on a day: the page, the API and the CSV.
public enum MonitoringRoster {
    /// An organisation in a stage: since when, and the deadline it was set, if any.
    public struct Member: Equatable, Sendable {
        public var code: String
        public var since: CivilDate
        public var deadline: CivilDate?

        public init(code: String, since: CivilDate, deadline: CivilDate?) {
            self.code = code
            self.since = since
            self.deadline = deadline
        }
    }

    public struct Entry: Equatable, Sendable {
        public var stage: MonitoringLadder.Stage
        /// By organisation code.
        public var organisations: [Member]
    }

    /// Every stage of `ladder` in order (empty ones too), with the organisations in it on
    /// `date`. Histories of other ladders, and organisations whose history starts later,
    /// are left out.
    public static func stages(on date: CivilDate, ladder: MonitoringLadder, histories: [String: MonitoringHistory]) -> [Entry] {
        var byStage: [String: [Member]] = [:]
        for (code, history) in histories where history.ladder == ladder.code {
            if let period = history.period(on: date) {
                byStage[period.stage, default: []].append(Member(code: code, since: period.entered, deadline: period.deadline))
            }
        }
        return ladder.stages.sorted { $0.rank < $1.rank }.map { stage in
            Entry(stage: stage, organisations: (byStage[stage.code] ?? []).sorted { $0.code < $1.code })
        }
    }
}
