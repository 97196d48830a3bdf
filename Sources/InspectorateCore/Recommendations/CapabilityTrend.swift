import Foundation

/// One final judgement of one area: the level, and the day the cycle's results stand from.
public struct JudgedLevel: Equatable, Sendable {
    public var cycle: String
    public var date: CivilDate
    public var level: Int

    public init(cycle: String, date: CivilDate, level: Int) {
        self.cycle = cycle
        self.date = date
        self.level = level
    }
}

/// An area's rate of movement, fitted to its judgements.
///
/// Method: the ordinary least-squares slope of level against time over every judgement,
/// time in days, reported in levels a year (365.25 days). With two judgements this is the
/// single difference between them; with more it uses them all, so one odd judgement sways
/// it less than first-to-last would.
///
/// Uncertainty: levels are whole numbers, so a judgement of level 2 says the capability is
/// somewhere from just reaching 2 to almost 3. The slope is a weighted sum of the levels,
/// Σ wᵢ·yᵢ with wᵢ = (tᵢ − t̄)/Σ(t − t̄)² and Σ wᵢ = 0, so letting each level be anything in
/// [yᵢ, yᵢ + 1) moves it by less than Σ|wᵢ|/2 either way: that is `range`. With two
/// judgements Δt apart it is the difference ± 1 level over Δt. With three or more, the
/// scatter about the line gives the usual standard error as well.
public struct CapabilityTrend: Equatable, Sendable {
    /// Judgements fitted, oldest first.
    public var points: [JudgedLevel]
    public var ratePerYear: Double
    /// Every rate the whole-level judgements allow, in levels a year.
    public var range: ClosedRange<Double>
    /// The slope's standard error in levels a year, from three judgements on.
    public var standardError: Double?

    public static let daysPerYear = 365.25

    public var ratePerDay: Double { ratePerYear / Self.daysPerYear }

    /// Why there is no trend, when there is none.
    public enum Missing: Equatable, Sendable {
        case notJudged
        case oneJudgement(JudgedLevel)
        /// More than one judgement, all on the same day.
        case oneDay(CivilDate)
    }

    /// The trend of `points` (any order), or why there is none: fewer than two judgements,
    /// or none on a different day. Never invented from one.
    public static func fit(_ points: [JudgedLevel]) -> Result<CapabilityTrend, MissingTrend> {
        let sorted = points.sorted { ($0.date, $0.cycle) < ($1.date, $1.cycle) }
        guard let first = sorted.first else { return .failure(MissingTrend(.notJudged)) }
        guard sorted.count > 1 else { return .failure(MissingTrend(.oneJudgement(first))) }
        let origin = DayNumber.of(first.date)
        let t = sorted.map { Double(DayNumber.of($0.date) - origin) }
        let y = sorted.map { Double($0.level) }
        let n = Double(sorted.count)
        let tMean = t.reduce(0, +) / n
        let yMean = y.reduce(0, +) / n
        let sxx = t.reduce(0) { $0 + ($1 - tMean) * ($1 - tMean) }
        guard sxx > 0 else { return .failure(MissingTrend(.oneDay(first.date))) }
        let weights = t.map { ($0 - tMean) / sxx }
        let slope = zip(weights, y).reduce(0) { $0 + $1.0 * $1.1 }
        let halfWidth = weights.reduce(0) { $0 + abs($1) } / 2
        var standardError: Double?
        if sorted.count >= 3 {
            let intercept = yMean - slope * tMean
            let residuals = zip(t, y).reduce(0) { sum, point in
                let residual = point.1 - (intercept + slope * point.0)
                return sum + residual * residual
            }
            standardError = (residuals / (n - 2)).squareRoot() / sxx.squareRoot() * daysPerYear
        }
        return .success(
            CapabilityTrend(
                points: sorted, ratePerYear: slope * daysPerYear,
                range: (slope - halfWidth) * daysPerYear...(slope + halfWidth) * daysPerYear, standardError: standardError))
    }
}

/// Why an area has no trend.
public struct MissingTrend: Error, Equatable, Sendable {
    public var reason: CapabilityTrend.Missing
    public init(_ reason: CapabilityTrend.Missing) { self.reason = reason }
}
