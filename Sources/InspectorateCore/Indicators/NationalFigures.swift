import Foundation

/// An indicator's national page for one period: the national figure, the distribution
/// across organisations, who meets the target, movement since the period before, and the
/// caveats to print beside the figures.
///
/// The national figure is the **median** of the organisations' values: the middle
/// organisation, so that one very large or unusual organisation does not move it, and it is
/// a value a real organisation could have. It is not weighted by population and is not a
/// national total (for a count, the total is `total`, given separately). Organisations
/// without a value for the period are left out of every figure and counted in `withoutValue`.
public struct NationalFigures: Equatable, Sendable {
    public let indicator: Indicator
    public let period: ReportingPeriod
    /// The median, with quartiles and range; nil when no organisation has a value.
    public let distribution: Band?
    /// Organisations asked for that have no value for the period.
    public let withoutValue: [String]
    /// For a count only: the sum of the organisations' values (nil for other units, where a
    /// sum means nothing).
    public let total: Double?
    /// Organisations at or beyond their target (their own, else the national one), and short of it.
    public let meetingTarget: [String]
    public let notMeetingTarget: [String]
    /// Organisations with a value for both this period and the one before, by judgement.
    public let movement: [Movement.Judgement: [String]]
    /// Organisations with a value now but none for the period before.
    public let noPreviousValue: [String]

    public var nationalFigure: Double? { distribution?.median }
    public var caveats: [String] { indicator.caveats }

    /// - Parameters:
    ///   - organisations: the organisations the reader may see that report the indicator.
    ///   - values: value by organisation code for `period`.
    ///   - previous: value by organisation code for the period before.
    public init(
        indicator: Indicator, period: ReportingPeriod, organisations: [String], values: [String: Double], previous: [String: Double]
    ) {
        self.indicator = indicator
        self.period = period
        var found: [Double] = []
        found.reserveCapacity(organisations.count)
        var missing: [String] = []
        var meeting: [String] = []
        var short: [String] = []
        var moved: [Movement.Judgement: [String]] = [:]
        var noPrevious: [String] = []
        let before = period.previous
        for organisation in organisations {
            guard let value = values[organisation] else {
                missing.append(organisation)
                continue
            }
            found.append(value)
            if let target = indicator.target(for: organisation), let met = target.isMet(by: value, polarity: indicator.polarity) {
                if met { meeting.append(organisation) } else { short.append(organisation) }
            }
            if let before, let earlier = previous[organisation] {
                let judgement = Movement(from: before, to: period, earlier: earlier, later: value, polarity: indicator.polarity).judgement
                moved[judgement, default: []].append(organisation)
            } else {
                noPrevious.append(organisation)
            }
        }
        distribution = Band(values: found, withoutValue: missing)
        withoutValue = missing
        total = indicator.unit == .count && !found.isEmpty ? found.reduce(0, +) : nil
        meetingTarget = meeting
        notMeetingTarget = short
        movement = moved
        noPreviousValue = noPrevious
    }
}
