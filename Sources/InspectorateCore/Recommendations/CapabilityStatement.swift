import Foundation

/// The sentences beside each area's forecast: the numbers, the method in a phrase, and the
/// uncertainty, so a reader need not take the verdict on trust.
enum CapabilityStatement {
    /// Two decimal places, no "-0.00".
    static func number(_ value: Double) -> String {
        let text = String(format: "%.2f", value)
        return text == "-0.00" ? "0.00" : text
    }

    static func levels(_ value: Int) -> String { value == 1 ? "1 level" : "\(value) levels" }

    static func atDeadline(_ standing: JudgedLevel?, minimum: Int, deadline: CivilDate) -> String {
        guard let standing else {
            return
                "The deadline (\(deadline)) has passed and no final judgement stood on it, so the minimum (level \(minimum)) does not count as met."
        }
        let verdict = standing.level >= minimum ? "met" : "missed"
        return "The deadline (\(deadline)) has passed: level \(standing.level), judged in \(standing.cycle) (\(standing.date)), "
            + "stood on it against a minimum of \(minimum), so the minimum was \(verdict)."
    }

    static func noRate(_ missing: CapabilityTrend.Missing, minimum: Int, metNow: Bool) -> String {
        let now = metNow ? "It meets the minimum (level \(minimum)) now" : "It does not meet the minimum (level \(minimum)) now"
        switch missing {
        case .notJudged:
            return "Not yet judged in any cycle: there is no level and no rate, so no forecast."
        case .oneJudgement(let point):
            return "Judged in one cycle only (level \(point.level) in \(point.cycle), \(point.date)): one cycle gives no rate of movement, "
                + "so there is not enough history for a forecast. \(now)."
        case .oneDay(let date):
            return "Every judgement is dated \(date): with no time between them there is no rate of movement, "
                + "so there is not enough history for a forecast. \(now)."
        }
    }

    static func projection(
        _ trend: CapabilityTrend, projected: Double, range: ClosedRange<Double>, minimum: Int, deadline: CivilDate,
        outcome: CapabilityOutcome, robust: Bool
    ) -> String {
        var sentences: [String] = []
        if trend.points.count == 2, let first = trend.points.first, let last = trend.points.last {
            let years = Double(DayNumber.of(last.date) - DayNumber.of(first.date)) / CapabilityTrend.daysPerYear
            sentences.append(
                "The rate rests on a single difference between two cycles: level \(first.level) in \(first.cycle) (\(first.date)) "
                    + "to level \(last.level) in \(last.cycle) (\(last.date)), \(number(years)) years apart: "
                    + "\(number(trend.ratePerYear)) levels a year.")
        } else if let first = trend.points.first, let last = trend.points.last {
            var text =
                "Least-squares rate over \(trend.points.count) cycles, \(first.cycle) (\(first.date)) to \(last.cycle) (\(last.date)): "
                + "\(number(trend.ratePerYear)) levels a year"
            if let error = trend.standardError { text += ", standard error \(number(error))" }
            sentences.append(text + ".")
        }
        let latest = trend.points.last.map { "level \($0.level)" } ?? "the latest level"
        sentences.append(
            "Carried on from \(latest) at that rate, the area would be at \(number(projected)) on \(deadline) against a minimum of \(minimum): "
                + (outcome == .met ? "met." : "missed."))
        sentences.append(
            "Judgements are whole levels; allowing for that, the rate could be \(number(trend.range.lowerBound)) to "
                + "\(number(trend.range.upperBound)) levels a year and the level at the deadline \(number(range.lowerBound)) to "
                + "\(number(range.upperBound)), so "
                + (robust ? "the forecast holds across that range." : "the forecast could go either way."))
        return sentences.joined(separator: " ")
    }
}
