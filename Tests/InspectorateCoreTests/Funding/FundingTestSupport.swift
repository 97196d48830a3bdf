import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

/// What the tests check every solve against, written without the solver's code.
enum FundingCheck {
    /// lo and hi by integer arithmetic on the band's billionths (previous ≤ 10⁹ here, so
    /// the products fit in 64 bits), independently of `FundingBounds` and `FundingOptimality`.
    static func bounds(_ organisation: FundingOrganisation, damping: DampingBand?) -> (lower: Int, upper: Int?) {
        var lower = organisation.floor ?? 0
        var upper = organisation.cap
        if let damping, let previous = organisation.previous {
            let billion = 1_000_000_000
            precondition(previous <= billion, "test bounds are for previous ≤ 10⁹")
            let bottom = (previous * (billion - damping.billionths) + billion - 1) / billion
            let top = previous * (billion + damping.billionths) / billion
            lower = max(lower, bottom)
            upper = min(upper ?? top, top)
        }
        return (lower, upper)
    }

    static func scale(_ organisation: FundingOrganisation, round: FundingRound) -> Double {
        if let scale = organisation.scale { return scale }
        if let previous = organisation.previous, previous > 0 { return Double(previous) }
        return max(1, Double(round.budget) / Double(round.organisations.count))
    }

    /// The continuous optimum by bisection on t = 1/λ: 400 halvings of a bracket, the total
    /// a plain sum of clip(w·t − c, lo, hi). Slow and simple: a reference, not a method.
    static func reference(_ round: FundingRound) -> [String: Double] {
        let rows = round.organisations.map { organisation -> (code: String, w: Double, c: Double, lo: Double, hi: Double) in
            let (lower, upper) = bounds(organisation, damping: round.damping)
            return (
                organisation.code, organisation.riskWeight * Double(1 + organisation.capabilityGap), scale(organisation, round: round),
                Double(lower), upper.map(Double.init) ?? .infinity
            )
        }
        func x(_ row: (code: String, w: Double, c: Double, lo: Double, hi: Double), _ t: Double) -> Double {
            min(max(row.w * t - row.c, row.lo), row.hi)
        }
        func total(_ t: Double) -> Double { rows.reduce(0) { $0 + x($1, t) } }
        let target = Double(round.budget)
        var low = 0.0
        var high = rows.map { ($0.c + ($0.hi.isFinite ? $0.hi : target + 1)) / $0.w }.max() ?? 1
        for _ in 0..<400 {
            let middle = (low + high) / 2
            if middle == low || middle == high { break }
            if total(middle) < target { low = middle } else { high = middle }
        }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.code, x($0, high)) })
    }

    /// Σ w·ln(1 + x/c), in the test's own terms.
    static func objective(_ round: FundingRound, _ allocation: [String: Double]) -> Double {
        round.organisations.reduce(0) { sum, organisation in
            let weight = organisation.riskWeight * Double(1 + organisation.capabilityGap)
            return sum + weight * log1p((allocation[organisation.code] ?? 0) / scale(organisation, round: round))
        }
    }

    /// Everything a solve must satisfy: KKT (the independent `FundingOptimality`), the total,
    /// the bounds, and agreement with the bisection reference within £1 (whole pounds) and
    /// a part in 10⁹ of the objective.
    @discardableResult
    static func expectOptimal(
        _ round: FundingRound, _ allocation: FundingAllocation, reference check: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Bool {
        let whole = Dictionary(uniqueKeysWithValues: allocation.organisations.map { ($0.code, $0.allocation) })
        let violations = FundingOptimality.violations(round: round, allocations: whole, lambda: allocation.lambda)
        #expect(violations.isEmpty, "\(violations.prefix(5))", sourceLocation: sourceLocation)
        #expect(whole.values.reduce(0, +) == round.budget, sourceLocation: sourceLocation)
        var ok = violations.isEmpty
        for organisation in round.organisations {
            let (lower, upper) = bounds(organisation, damping: round.damping)
            let x = whole[organisation.code] ?? -1
            if x < lower || x > (upper ?? Int.max) {
                ok = false
                Issue.record(
                    "\(organisation.code): \(x) outside [\(lower), \(upper.map(String.init) ?? "∞")]", sourceLocation: sourceLocation)
            }
        }
        guard check else { return ok }
        let reference = Self.reference(round)
        for line in allocation.organisations {
            let expected = reference[line.code] ?? .nan
            let slack = 1e-7 * max(1, abs(expected))
            if abs(line.exact - expected) > slack || abs(Double(line.allocation) - expected) > 1 + slack {
                ok = false
                Issue.record(
                    "\(line.code): exact \(line.exact), whole \(line.allocation), reference \(expected)", sourceLocation: sourceLocation)
            }
        }
        let mine = objective(round, allocation.organisations.reduce(into: [:]) { $0[$1.code] = $1.exact })
        let theirs = objective(round, reference)
        #expect(abs(mine - theirs) <= 1e-9 * max(1, abs(theirs)), "objective \(mine) against \(theirs)", sourceLocation: sourceLocation)
        return ok
    }
}

/// Random rounds for the property tests: weights spread over four orders of magnitude,
/// scales over three, and floors, caps, previous allocations and a band now and then;
/// the budget is placed between Σ lo and Σ hi, so the round is feasible.
struct RandomRound: Sendable, CustomStringConvertible {
    struct Spec: Sendable {
        var weightExponent: Double
        var scaleExponent: Double
        var previous: Int?
        var floor: Int?
        var capAbove: Int?
    }

    var specs: [Spec]
    var damping: Int?
    var budgetFraction: Double

    /// `presence` holds three coins of three sides (previous, floor, cap): each is absent on 0.
    static let spec = zip(
        Gen.double(in: -2...2), Gen.double(in: 2...6), Gen.int(in: 0...2_000_000), Gen.int(in: 0...400_000), Gen.int(in: 0...3_000_000),
        Gen.int(in: 0...26)
    ).map { weight, scale, previous, floor, cap, presence in
        Spec(
            weightExponent: weight, scaleExponent: scale, previous: presence % 3 == 0 ? nil : previous,
            floor: presence / 3 % 3 == 0 ? nil : floor, capAbove: presence / 9 == 0 ? nil : cap)
    }

    static let generator = zip(spec.array(of: 1...24), Gen.int(in: 0...300_000_000), Gen.bool, Gen.double(in: 0...1)).map {
        RandomRound(specs: $0, damping: $2 ? $1 : nil, budgetFraction: $3)
    }

    static func code(_ index: Int) -> String { "org-" + String(format: "%03d", index) }

    var organisations: [FundingOrganisation] {
        specs.enumerated().map { index, spec in
            FundingOrganisation(
                code: Self.code(index), riskWeight: pow(10, spec.weightExponent), scale: index % 3 == 0 ? nil : pow(10, spec.scaleExponent),
                previous: spec.previous, floor: spec.floor, cap: spec.capAbove.map { ($0 + (spec.floor ?? 0)) })
        }
    }

    var band: DampingBand? { damping.flatMap { try? DampingBand(billionths: $0) } }

    /// Σ lo and Σ hi (nil: unbounded), with the test's own bounds.
    var range: (lower: Int, upper: Int?, empty: Bool) {
        var lower = 0
        var upper: Int? = 0
        var empty = false
        for organisation in organisations {
            let bound = FundingCheck.bounds(organisation, damping: band)
            lower += bound.lower
            upper = bound.upper.flatMap { hi in upper.map { $0 + hi } }
            if let hi = bound.upper, hi < bound.lower { empty = true }
        }
        return (lower, upper, empty)
    }

    /// A feasible round, or nil when some organisation's bounds are empty.
    var round: FundingRound? {
        let (lower, upper, empty) = range
        guard !empty else { return nil }
        let span = Double((upper ?? lower + 5_000_000) - lower)
        let budget = lower + Int((span * budgetFraction).rounded(.down))
        return try? FundingRound(budget: budget, damping: band, organisations: organisations)
    }

    var description: String { "\(specs.count) organisations, damping \(String(describing: damping)), fraction \(budgetFraction)" }
}
