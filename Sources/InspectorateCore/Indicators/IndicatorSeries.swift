import Foundation

/// Which way a figure moved between two periods, and whether that is better given the
/// indicator's polarity.
public struct Movement: Equatable, Sendable, Codable {
    public enum Judgement: String, Codable, Sendable {
        case better, worse, same
        /// The indicator has no better direction (`Polarity.neither`): up or down only.
        case noJudgement = "no_judgement"
    }

    public let from: ReportingPeriod
    public let to: ReportingPeriod
    /// Later value minus earlier value, in the indicator's unit (percentage points for a percentage).
    public let change: Double
    public let judgement: Judgement

    public init(from: ReportingPeriod, to: ReportingPeriod, earlier: Double, later: Double, polarity: Polarity) {
        self.from = from
        self.to = to
        change = later - earlier
        judgement =
            switch polarity {
            case _ where later == earlier: .same
            case .higherIsBetter: later > earlier ? .better : .worse
            case .lowerIsBetter: later < earlier ? .better : .worse
            case .neither: .noJudgement
            }
    }
}

/// The latest figure against the target that applies to the organisation.
public struct TargetAssessment: Equatable, Sendable, Codable {
    public let target: IndicatorTarget
    public let period: ReportingPeriod
    public let value: Double
    /// Whether the value meets the target (at or beyond it in the better direction).
    public let met: Bool
    /// Whether the target's date has come by the end of the period: before that, the value
    /// shows progress towards a target not yet due.
    public let due: Bool
    /// Value minus target, in the indicator's unit.
    public let gap: Double
}

/// One organisation's values of one indicator over time, for the chart and the table beside it.
public struct IndicatorSeries: Equatable, Sendable {
    public struct Point: Equatable, Sendable, Codable {
        public let period: ReportingPeriod
        public let value: Double
        public let status: ValueStatus
    }

    public let indicator: Indicator
    public let organisation: String
    /// In time order, one per period; periods with no value are absent (see `gaps`).
    public let points: [Point]

    /// - Parameter values: the organisation's values of the indicator (others are ignored).
    /// - Throws: `FieldError` on `period` for a value of the wrong frequency or two values
    ///   for one period.
    public init(indicator: Indicator, organisation: String, values: [IndicatorValue]) throws {
        var points: [Point] = []
        for value in values where value.indicator == indicator.code && value.organisation == organisation {
            guard value.period.frequency == indicator.frequency else {
                throw ReportingPeriod.wrongFrequency(value.period, expected: indicator.frequency, field: "period")
            }
            points.append(Point(period: value.period, value: value.value, status: value.status))
        }
        points.sort { $0.period < $1.period }
        for (earlier, later) in zip(points, points.dropFirst()) where earlier.period == later.period {
            throw FieldError("period", "\(organisation) has two values of \(indicator.code) for \(later.period)")
        }
        self.indicator = indicator
        self.organisation = organisation
        self.points = points
    }

    public var latest: Point? { points.last }

    public func value(at period: ReportingPeriod) -> Point? {
        // Few points per series: a binary search keeps a national page of thousands cheap.
        var low = 0
        var high = points.count
        while low < high {
            let middle = (low + high) / 2
            if points[middle].period < period { low = middle + 1 } else { high = middle }
        }
        return low < points.count && points[low].period == period ? points[low] : nil
    }

    /// Periods between the first and the latest with no value.
    public var gaps: [ReportingPeriod] {
        guard let first = points.first?.period, let last = points.last?.period else { return [] }
        var missing: [ReportingPeriod] = []
        var period: ReportingPeriod? = first
        var index = 0
        while let current = period, current <= last {
            if index < points.count && points[index].period == current { index += 1 } else { missing.append(current) }
            period = current.next
        }
        return missing
    }

    /// Movement into `period` (the latest when nil) from the period just before it; nil when
    /// either has no value (a gap is shown as a gap, never bridged).
    public func movement(to period: ReportingPeriod? = nil) -> Movement? {
        guard let to = period ?? latest?.period, let later = value(at: to), let from = to.previous, let earlier = value(at: from) else {
            return nil
        }
        return Movement(from: from, to: to, earlier: earlier.value, later: later.value, polarity: indicator.polarity)
    }

    /// The value for `period` (the latest when nil) against the organisation's own target, or
    /// else the national one; nil when there is no value, no target or no better direction.
    public func assessment(at period: ReportingPeriod? = nil) -> TargetAssessment? {
        guard let point = period.map({ value(at: $0) }) ?? latest, let target = indicator.target(for: organisation),
            let met = target.isMet(by: point.value, polarity: indicator.polarity)
        else { return nil }
        return TargetAssessment(
            target: target, period: point.period, value: point.value, met: met, due: target.isDue(by: point.period),
            gap: point.value - target.value)
    }
}
