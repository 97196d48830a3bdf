import Foundation

/// An organisation's final results in one cycle.
public struct CycleLevels: Equatable, Sendable {
    public var cycle: String
    /// The day the cycle's final results stand from (when they were made final or
    /// published): results dated after the "as at" day are not yet known then.
    public var date: CivilDate
    /// Final area levels; an area missing was not judged.
    public var areaLevels: [String: Int]

    public init(cycle: String, date: CivilDate, areaLevels: [String: Int]) {
        self.cycle = cycle
        self.date = date
        self.areaLevels = areaLevels
    }
}

/// What the forecast needs of one organisation.
public struct CapabilityInput: Equatable, Sendable {
    public var organisation: String
    /// Its tier's minimum level per area code: the areas that count.
    public var minimums: [String: Int]
    /// Its final results, in any order.
    public var cycles: [CycleLevels]

    public init(organisation: String, minimums: [String: Int], cycles: [CycleLevels]) {
        self.organisation = organisation
        self.minimums = minimums
        self.cycles = cycles
    }
}

/// Whether the minimum is (or will be) met at the deadline.
public enum CapabilityOutcome: String, Sendable, Equatable, CaseIterable {
    case met
    case missed
    /// No forecast can be made: fewer than two judgements on different days.
    case notEnoughHistory = "not_enough_history"
}

/// What the outcome rests on.
public enum CapabilityBasis: String, Sendable, Equatable {
    /// The deadline has passed: the level that stood on it.
    case levelAtDeadline = "level_at_deadline"
    /// A straight-line projection of the rate of movement.
    case projection
    /// Nothing: there is no forecast.
    case none
}

/// One area of one organisation, as at a day.
public struct AreaForecast: Equatable, Sendable {
    public var area: String
    public var minimum: Int
    /// The latest final level known on the "as at" day, nil if never judged by then.
    public var level: Int?
    public var metNow: Bool
    /// Nil when there is no rate (`missing` says why).
    public var trend: CapabilityTrend?
    public var missing: CapabilityTrend.Missing?
    /// The projected level at the deadline (straight line from the latest judgement).
    public var projected: Double?
    /// Every level at the deadline the whole-level judgements allow.
    public var projectedRange: ClosedRange<Double>?
    public var outcome: CapabilityOutcome
    public var basis: CapabilityBasis
    /// The whole range agrees with the outcome (false: it could go either way).
    public var isRobust: Bool
    /// The method, the numbers and the uncertainty in a sentence or two, for the page.
    public var statement: String
}

/// One organisation, as at a day.
public struct OrganisationForecast: Equatable, Sendable {
    public var organisation: String
    /// By area code.
    public var areas: [AreaForecast]
    /// Every area meets its minimum now.
    public var metNow: Bool
    /// Missed if any area is; met if every area is; otherwise not enough history.
    public var outcome: CapabilityOutcome
}

/// The derived status of the 2009 report's fourth recommendation ("minimum capability in
/// every force by 31 March 2010"): who meets their tier's minimum now, by area and overall,
/// and a forecast of who will miss the deadline at their current rate of movement.
/// See `method` for the method, assumptions and uncertainty, as shown on the page.
public enum CapabilityForecast {
    /// Tolerance for sums of fractions of days: 3.9999999999 reaches 4.
    static let tolerance = 1e-9

    /// The forecast for one organisation.
    /// - Parameters:
    ///   - asOf: judgements dated after this day are not used.
    ///   - deadline: the day by which the minimums are due (`RiskTier.deadline`).
    ///   - scale: the framework's levels; a projection beyond either end stops there.
    public static func forecast(
        _ input: CapabilityInput, asOf: CivilDate, deadline: CivilDate, scale: ClosedRange<Int>? = nil
    )
        -> OrganisationForecast
    {
        let known = input.cycles.filter { $0.date <= asOf }
        let areas = input.minimums.keys.sorted().map { area -> AreaForecast in
            let points = known.compactMap { cycle in
                cycle.areaLevels[area].map { JudgedLevel(cycle: cycle.cycle, date: cycle.date, level: $0) }
            }
            return forecast(area: area, minimum: input.minimums[area] ?? 0, points: points, asOf: asOf, deadline: deadline, scale: scale)
        }
        let outcome: CapabilityOutcome =
            areas.contains { $0.outcome == .missed } ? .missed : areas.allSatisfy { $0.outcome == .met } ? .met : .notEnoughHistory
        return OrganisationForecast(organisation: input.organisation, areas: areas, metNow: areas.allSatisfy(\.metNow), outcome: outcome)
    }

    /// The forecast for one area from its judgements known on `asOf` (those dated later are
    /// set aside).
    public static func forecast(
        area: String, minimum: Int, points: [JudgedLevel], asOf: CivilDate, deadline: CivilDate, scale: ClosedRange<Int>? = nil
    ) -> AreaForecast {
        let sorted = points.filter { $0.date <= asOf }.sorted { ($0.date, $0.cycle) < ($1.date, $1.cycle) }
        let latest = sorted.last
        var result = AreaForecast(
            area: area, minimum: minimum, level: latest?.level, metNow: (latest?.level).map { $0 >= minimum } ?? false, trend: nil,
            missing: nil, projected: nil, projectedRange: nil, outcome: .notEnoughHistory, basis: .none, isRobust: false, statement: "")
        if deadline <= asOf {
            // The deadline has passed: what stood on the day is a fact, not a forecast.
            let standing = sorted.last { $0.date <= deadline }
            result.outcome = (standing?.level).map { $0 >= minimum } == true ? .met : .missed
            result.basis = .levelAtDeadline
            result.isRobust = true
            result.statement = CapabilityStatement.atDeadline(standing, minimum: minimum, deadline: deadline)
            return result
        }
        switch CapabilityTrend.fit(sorted) {
        case .failure(let missing):
            result.missing = missing.reason
            result.statement = CapabilityStatement.noRate(missing.reason, minimum: minimum, metNow: result.metNow)
        case .success(let trend):
            guard let latest else { return result }
            let days = Double(DayNumber.of(deadline) - DayNumber.of(latest.date))
            let clamp = { (value: Double) -> Double in
                guard let scale else { return value }
                return min(max(value, Double(scale.lowerBound)), Double(scale.upperBound))
            }
            let base = Double(latest.level)
            // Straight on from the latest judgement at the fitted rate.
            let projected = clamp(base + trend.ratePerDay * days)
            let low = clamp(base + trend.range.lowerBound / CapabilityTrend.daysPerYear * days)
            let high = clamp(base + 1 + trend.range.upperBound / CapabilityTrend.daysPerYear * days)
            let target = Double(minimum)
            result.trend = trend
            result.projected = projected
            result.projectedRange = low...max(low, high)
            result.outcome = projected + tolerance >= target ? .met : .missed
            result.basis = .projection
            result.isRobust = result.outcome == .met ? low + tolerance >= target : high <= target + tolerance
            result.statement = CapabilityStatement.projection(
                trend, projected: projected, range: low...max(low, high), minimum: minimum, deadline: deadline, outcome: result.outcome,
                robust: result.isRobust)
        }
        return result
    }

    /// The method, its assumptions and its uncertainty, as the page states them.
    public static let method = """
        Meets now: an area meets its minimum when its latest final level, from cycles whose results stood by the "as at" day, \
        is at least its tier's minimum; an organisation meets it when every area does. An area never judged does not meet it.

        Rate of movement: for each area, the least-squares slope of the final level against the date of each cycle's results, \
        in levels a year. With two cycles this is the single difference between them; with more, every cycle counts. One cycle \
        gives no rate, and none is invented: the forecast says there is not enough history.

        Forecast: the latest level carried forward at that rate to the deadline. It will be met if the projected level reaches \
        the minimum; a projection never goes beyond the ends of the scale. Once the deadline has passed, the level that stood \
        on the day decides, and no projection is made.

        Assumptions: movement continues in a straight line at the rate so far; the levels are equally spaced steps; the date of \
        a cycle's results stands for when the capability was reached.

        Uncertainty: levels are whole numbers, so a judgement of level 2 means anything from just reaching level 2 to nearly \
        level 3. Allowing for that in every judgement gives a range of rates and of levels at the deadline; the forecast is \
        marked as able to go either way when that range crosses the minimum. With two cycles the rate rests on a single \
        difference and the range is wide. From three cycles on, the scatter about the line also gives a standard error.
        """
}
