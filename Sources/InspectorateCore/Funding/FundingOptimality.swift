import Foundation

/// Checks a whole-pound allocation against the conditions of optimality (Karush–Kuhn–Tucker)
/// of the funding model, from the round's raw inputs and without the solver's code: its
/// own bounds (in decimal arithmetic), its own scales, its own weights. Tests run it on
/// every solve; the app may run it on any allocation it stores or receives.
///
/// With λ the value of the last pound and m(x) = w/(c + x) an organisation's marginal value:
/// - the allocations add up to the budget exactly and every bound holds in whole pounds;
/// - strictly inside its bounds, m equals λ within rounding: the continuous optimum is
///   within £1 of the whole-pound sum X, so m(X + 1) ≤ λ ≤ m(X − 1);
/// - at its lower bound L, m ≤ λ within rounding: m(L + 1) ≤ λ;
/// - at its upper bound H, m ≥ λ within rounding: m(H − 1) ≥ λ;
/// each comparison with a relative tolerance for floating point (default 10⁻⁹).
public enum FundingOptimality {
    /// Every violated condition, as a sentence; empty when the allocation is optimal.
    public static func violations(
        round: FundingRound, allocations: [String: Int], lambda: Double,
        tolerance: Double = 1e-9
    ) -> [String] {
        var found: [String] = []
        guard lambda.isFinite && lambda > 0 else { return ["λ is \(lambda), not a positive number"] }
        let count = round.organisations.count
        var total = 0
        for organisation in round.organisations {
            guard let x = allocations[organisation.code] else {
                found.append("\(organisation.code) has no allocation")
                continue
            }
            total += x
            let (lower, upper) = bounds(organisation, damping: round.damping)
            if x < lower { found.append("\(organisation.code): \(x) is below its lower bound \(lower)") }
            if let upper, x > upper { found.append("\(organisation.code): \(x) is above its upper bound \(upper)") }
            let weight = organisation.riskWeight * (1 + Double(organisation.capabilityGap))
            let scale =
                organisation.scale
                ?? ((organisation.previous ?? 0) > 0 ? Double(organisation.previous ?? 0) : max(1, Double(round.budget) / Double(count)))
            func marginal(_ pounds: Int) -> Double { weight / (scale + Double(pounds)) }
            let atLower = x == lower
            let atUpper = x == upper
            if atLower && atUpper { continue }
            if !atLower && marginal(x - 1) < lambda * (1 - tolerance) {
                found.append(
                    "\(organisation.code): at £\(x) above its lower bound, one pound less is worth \(marginal(x - 1)) < λ = \(lambda)")
            }
            if !atUpper && marginal(x + 1) > lambda * (1 + tolerance) {
                found.append(
                    "\(organisation.code): at £\(x) below its upper bound, one pound more is worth \(marginal(x + 1)) > λ = \(lambda)")
            }
        }
        let extra = Set(allocations.keys).subtracting(round.organisations.map(\.code))
        for code in extra.sorted() { found.append("\(code) is not in the round") }
        if total != round.budget { found.append("the allocations add up to \(total), not the budget \(round.budget)") }
        return found
    }

    /// lo = max(floor, ⌈(1 − d)·previous⌉), hi = min(cap, ⌊(1 + d)·previous⌋), in Decimal.
    static func bounds(_ organisation: FundingOrganisation, damping: DampingBand?) -> (Int, Int?) {
        var lower = organisation.floor ?? 0
        var upper = organisation.cap
        if let damping, let previous = organisation.previous {
            let fraction = Decimal(damping.billionths) / Decimal(1_000_000_000)
            let bottom = rounded(Decimal(previous) * (1 - fraction), .up)
            let top = rounded(Decimal(previous) * (1 + fraction), .down)
            lower = max(lower, bottom)
            upper = min(upper ?? top, top)
        }
        return (lower, upper)
    }

    private static func rounded(_ value: Decimal, _ mode: NSDecimalNumber.RoundingMode) -> Int {
        var input = value
        var output = Decimal()
        NSDecimalRound(&output, &input, 0, mode)
        return NSDecimalNumber(decimal: output).intValue
    }
}
