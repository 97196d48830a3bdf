/// The exact solution of the continuous problem
///
///     maximise Σ wᵢ·ln(1 + xᵢ/cᵢ)  subject to  Σ xᵢ = B,  loᵢ ≤ xᵢ ≤ hiᵢ
///
/// by sorting breakpoints (Patriksson 2008, "A survey on the continuous nonlinear resource
/// allocation problem", §2; DOMAIN.md, Funding). The conditions of optimality give
/// xᵢ = clip(wᵢ/λ − cᵢ, loᵢ, hiᵢ) for the one λ > 0 that spends B. Written in t = 1/λ,
/// each xᵢ(t) is flat at loᵢ until t = (cᵢ + loᵢ)/wᵢ, rises as wᵢ·t − cᵢ, and is flat at
/// hiᵢ from t = (cᵢ + hiᵢ)/wᵢ. The total S(t) = K + W·t is then linear between consecutive
/// breakpoints, with K = Σ_below lo + Σ_above hi − Σ_rising c and W = Σ_rising w. Sorting
/// the 2n breakpoints (O(n log n)) and walking them until S reaches B finds the segment;
/// B = K + W·t on it gives t, exactly up to floating-point rounding. K and W are kept with
/// compensated sums, as the walk adds and removes terms from £1 to £10¹³.
///
/// When several λ fit (B is reached where every organisation is at a bound, so S is flat),
/// the walk stops at the first breakpoint where S reaches B: λ is then the largest value
/// consistent with the allocation, the marginal value of the last organisation to reach its
/// upper bound; and at B = Σ lo, the highest marginal value of any organisation at its lower
/// bound (the value of the next pound).
enum BreakpointSolver {
    struct Event {
        /// t at which the organisation starts (or stops) rising.
        var time: Double
        /// 2·organisation, plus 1 when it stops rising.
        var code: Int32

        var organisation: Int { Int(code >> 1) }
        var leaving: Bool { code & 1 == 1 }
    }

    /// The continuous optimum: t = 1/λ and xᵢ in the model's order.
    struct Solution {
        var time: Double
        var allocations: [Double]
        var lambda: Double { 1 / time }
    }

    /// Every breakpoint, sorted by time and then by organisation (a total order, so that
    /// the walk is the same whatever sort is used): a stable radix sort of the times'
    /// bit patterns, the events made in the order of their codes.
    static func events(_ model: AllocationModel) -> [Event] {
        var times: [Double] = []
        var codes: [Int32] = []
        times.reserveCapacity(2 * model.count)
        codes.reserveCapacity(2 * model.count)
        for index in 0..<model.count {
            let weight = model.weights[index]
            let scale = model.scales[index]
            times.append((scale + Double(model.lower[index])) / weight)
            codes.append(Int32(truncatingIfNeeded: 2 * index))
            if let upper = model.upper[index] {
                times.append((scale + Double(upper)) / weight)
                codes.append(Int32(truncatingIfNeeded: 2 * index + 1))
            }
        }
        // Every time is positive and finite (c > 0, w > 0), so bit patterns sort as the times do.
        let order = RadixSort.order(times.map(\.bitPattern))
        return order.map { Event(time: times[Int($0)], code: codes[Int($0)]) }
    }

    /// The running state of the walk: S(t) = K + W·t on the current segment.
    struct Walk {
        var constant = CompensatedSum()
        var slope = CompensatedSum()

        init(_ model: AllocationModel) {
            for bound in model.lower { constant += Double(bound) }
        }

        func total(at time: Double) -> Double { constant.value + slope.value * time }

        mutating func apply(_ event: Event, _ model: AllocationModel) {
            let index = event.organisation
            if event.leaving {
                constant += model.scales[index]
                constant += Double(model.upper[index] ?? 0)
                slope -= model.weights[index]
            } else {
                constant -= Double(model.lower[index])
                constant -= model.scales[index]
                slope += model.weights[index]
            }
        }
    }

    /// Solves for `budget`. The caller has checked Σ lo ≤ B ≤ Σ hi and lo ≤ hi for each.
    static func solve(_ model: AllocationModel, budget: Int) -> Solution {
        let events = events(model)
        let time = solveTime(model, budget: budget, events: events)
        return Solution(time: time, allocations: allocations(model, time: time))
    }

    static func solveTime(_ model: AllocationModel, budget: Int, events: [Event]) -> Double {
        guard let first = events.first, let last = events.last else { return 1 }
        if budget <= model.lowerTotal { return first.time }
        if let upperTotal = model.upperTotal, budget >= upperTotal { return last.time }
        var walk = Walk(model)
        var previous = 0.0
        var index = 0
        while index < events.count {
            let time = events[index].time
            // S(τ) ≥ B, written as W·τ ≥ B − K so that B is not first rounded to a Double.
            let slope = walk.slope.value
            let rest = walk.constant.subtracted(from: budget)
            if slope * time >= rest {
                guard slope > 0 else { return time }
                return min(max(rest / slope, previous), time)
            }
            while index < events.count && events[index].time == time {
                walk.apply(events[index], model)
                index += 1
            }
            previous = time
        }
        // Past the last breakpoint only the organisations without an upper bound still rise.
        let slope = walk.slope.value
        guard slope > 0 else { return previous }
        return max(walk.constant.subtracted(from: budget) / slope, previous)
    }

    /// xᵢ = clip(wᵢ·t − cᵢ, loᵢ, hiᵢ).
    static func allocations(_ model: AllocationModel, time: Double) -> [Double] {
        (0..<model.count).map { allocation(model, index: $0, time: time) }
    }

    static func allocation(_ model: AllocationModel, index: Int, time: Double) -> Double {
        let rising = model.weights[index] * time - model.scales[index]
        let floored = max(rising, Double(model.lower[index]))
        guard let upper = model.upper[index] else { return floored }
        return min(floored, Double(upper))
    }
}
