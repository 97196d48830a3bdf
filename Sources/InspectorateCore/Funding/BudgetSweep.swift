/// Every organisation's continuous allocation as the budget runs from Σ lo to Σ hi, exactly
/// (issue 12, "Scenarios": the breakpoints give the whole curve at once).
///
/// Between two consecutive breakpoints of the solver (`BreakpointSolver`) every xᵢ and the
/// total are linear in t = 1/λ, so each xᵢ is linear in the budget too. The sweep keeps
/// the points (budget, t) at the breakpoints, at most 2n + 1 of them; between points, t is
/// interpolated linearly in the budget and xᵢ = clip(wᵢ·t − cᵢ, loᵢ, hiᵢ), which is exact.
/// Drawing straight lines between an organisation's `curve` points draws its allocation
/// exactly. The sweep is of the continuous optimum: the whole-pound allocation at a budget
/// is within £1 of it. Scales are those of the round (budget ÷ n is resolved at the round's
/// budget and kept), so the whole curve is one objective.
public struct BudgetSweep: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public let budget: Double
        /// t = 1/λ.
        public let time: Double
        public var lambda: Double { 1 / time }
    }

    /// In the round's order (by code).
    public let codes: [String]
    /// Σ lo: where the sweep starts.
    public let lowest: Int
    /// Σ hi, or nil when some organisation has no upper bound (the sweep then goes on
    /// without end, past its last point, with only those organisations rising).
    public let highest: Int?
    /// Strictly ascending in t, never descending in budget: a run of points with the same
    /// budget is a stretch of t over which every organisation is at a bound.
    public let points: [Point]
    /// dt/dB past the last point: 1 / Σ w of the organisations without an upper bound.
    let finalSlope: Double
    let model: AllocationModel

    /// t at `budget`, by linear interpolation between the points.
    public func time(atBudget budget: Double) -> Double {
        guard let first = points.first, let last = points.last else { return 1 }
        if budget < first.budget { return first.time }
        if budget >= last.budget { return last.time + (budget - last.budget) * finalSlope }
        // The last point at or below the budget: past a flat run, its right end.
        var low = 0
        var high = points.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if points[middle].budget <= budget { low = middle } else { high = middle }
        }
        let left = points[low]
        let right = points[high]
        let span = right.budget - left.budget
        guard span > 0 else { return right.time }
        return left.time + (budget - left.budget) / span * (right.time - left.time)
    }

    /// Every organisation's continuous allocation at `budget`, in the round's order.
    public func allocations(atBudget budget: Double) -> [Double] {
        BreakpointSolver.allocations(model, time: time(atBudget: budget))
    }

    /// The corners of one organisation's curve: the first and last points and every point
    /// at which it is rising. Straight lines between them are its allocation exactly; when
    /// `highest` is nil and it has no upper bound, it goes on rising past the last point.
    public func curve(of code: String) -> [(budget: Double, allocation: Double)] {
        guard let index = codes.firstIndex(of: code) else { return [] }
        let weight = model.weights[index]
        let scale = model.scales[index]
        let starts = (scale + Double(model.lower[index])) / weight
        let stops = model.upper[index].map { (scale + Double($0)) / weight } ?? .infinity
        var corners: [(budget: Double, allocation: Double)] = []
        for (position, point) in points.enumerated()
        where position == 0 || position == points.count - 1 || (point.time >= starts && point.time <= stops) {
            corners.append((point.budget, BreakpointSolver.allocation(model, index: index, time: point.time)))
        }
        return corners
    }

    /// `count` budgets evenly spaced from Σ lo to Σ hi (or to `upTo`, or to the last point
    /// when unbounded), and every organisation's allocation at each: `allocations[k][i]`
    /// is organisation i's at `budgets[k]`.
    public func sample(count: Int, upTo: Double? = nil) -> (budgets: [Double], allocations: [[Double]]) {
        let start = Double(lowest)
        let end = upTo ?? highest.map(Double.init) ?? points.last?.budget ?? start
        let steps = max(1, count - 1)
        let budgets = (0..<max(1, count)).map { start + (end - start) * Double($0) / Double(steps) }
        return (budgets, budgets.map { allocations(atBudget: $0) })
    }
}

extension FundingRound {
    /// The budget sweep of this round's bounds and scales.
    /// - Throws: `FundingInfeasible` when some organisation's lo > hi (no budget works).
    public func sweep() throws -> BudgetSweep {
        let bounds = self.bounds
        let empty = zip(organisations, bounds).filter { $0.1.isEmpty }
        if !empty.isEmpty {
            throw FundingInfeasible(
                budget: budget, damping: damping,
                reasons: empty.map {
                    .emptyRange(organisation: $0.0.code, bounds: $0.1, previous: $0.0.previous)
                })
        }
        let model = AllocationModel(round: self, bounds: bounds)
        let events = BreakpointSolver.events(model)
        var walk = BreakpointSolver.Walk(model)
        var points: [BudgetSweep.Point] = []
        points.reserveCapacity(events.count)
        let lowest = model.lowerTotal
        let highest = model.upperTotal
        var index = 0
        while index < events.count {
            let time = events[index].time
            var budget = points.isEmpty ? Double(lowest) : max(walk.total(at: time), points[points.count - 1].budget)
            if let highest { budget = min(budget, Double(highest)) }
            while index < events.count && events[index].time == time {
                walk.apply(events[index], model)
                index += 1
            }
            if index == events.count, let highest { budget = Double(highest) }
            points.append(BudgetSweep.Point(budget: budget, time: time))
        }
        let slope = walk.slope.value
        return BudgetSweep(
            codes: organisations.map(\.code), lowest: lowest, highest: highest, points: points,
            finalSlope: slope > 0 ? 1 / slope : 0, model: model)
    }
}
