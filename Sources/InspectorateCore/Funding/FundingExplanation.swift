import Foundation

/// Why an organisation got its sum (issue 12, "Explanation, per organisation").
public struct OrganisationExplanation: Sendable, Equatable {
    public let code: String
    /// Whole pounds.
    public let allocation: Int
    public let previous: Int?
    /// allocation − previous, in pounds; nil without a previous allocation.
    public let change: Int?
    /// change ÷ previous × 100; nil without a previous allocation or when it was £0.
    public let changePercent: Double?
    public let riskWeight: Double
    public let capabilityGap: Int
    /// w = r × (1 + g).
    public let weight: Double
    public let scale: Double
    public let bounds: FundingBounds
    /// The whole-pound optimum of the same budget, weights and scales without floor, cap or
    /// band (lo = 0, hi unbounded), rounded by the same rule.
    public let unconstrained: Int
    /// allocation − unconstrained, in pounds: what the round's constraints move.
    public let distanceFromUnconstrained: Int
    /// allocation ÷ budget and unconstrained ÷ budget (0 when the budget is £0).
    public let share: Double
    public let unconstrainedShare: Double
    /// The bound that holds the organisation away from where the formula would put it,
    /// or `.none`. A bound merely touched (the formula lands on it) does not bind. An
    /// organisation at £0 without a floor shows `.none` too: the formula would give it less
    /// than nothing, and £0 is the model's edge, not a constraint of the round.
    public let binding: FundingConstraint
    /// w / (c + allocation), in the objective's units per pound.
    public let marginal: Double
    /// |marginal at the bound − λ| when a bound binds, otherwise 0: what relaxing the binding
    /// constraint by £1 would gain the objective. A lower bound (floor, band below) keeps
    /// here a pound worth less than λ; an upper bound (cap, band above) keeps away a pound
    /// worth more than λ. Either way the gain from relaxing it is positive.
    public let shadowPrice: Double
    public let lambda: Double

    /// One sentence on the shadow price, with its sign explained.
    public var shadowPriceMeaning: String {
        let price = FundingNumber.short(shadowPrice)
        switch binding {
        case .none:
            return "not held by a bound: its last pound is worth λ, as everyone's is"
        case .floor, .dampingBelow:
            return
                "held up by its \(binding.label): its last pound is worth \(price) less than λ, so £1 off this bound would gain about \(price)"
        case .cap, .dampingAbove:
            return
                "held down by its \(binding.label): a further pound would be worth \(price) more than λ, so £1 more on this bound would gain about \(price)"
        }
    }
}

/// The sum held by one kind of constraint.
public struct ConstraintTotal: Sendable, Equatable {
    public let constraint: FundingConstraint
    /// How many organisations it binds.
    public let organisations: Int
    /// Σ allocation over those organisations.
    public let allocated: Int
    /// Σ (allocation − unconstrained) over them: the money this kind of constraint moves,
    /// positive for lower bounds (held up), negative for upper bounds (held down).
    public let moved: Int
}

/// The headline: λ, and what each kind of constraint holds.
public struct FundingHeadline: Sendable, Equatable {
    public let budget: Int
    public let lambda: Double
    /// λ of the unconstrained problem (no floor, cap or band) at the same budget.
    public let unconstrainedLambda: Double
    public let objective: Double
    public let unconstrainedObjective: Double
    /// One entry per kind, in the order floor, damping below, cap, damping above, none.
    public let constraints: [ConstraintTotal]

    public func total(_ constraint: FundingConstraint) -> ConstraintTotal? { constraints.first { $0.constraint == constraint } }
}

public struct FundingExplanation: Sendable, Equatable {
    public let headline: FundingHeadline
    /// In the round's order (by code).
    public let organisations: [OrganisationExplanation]
}

extension FundingAllocation {
    /// The explanation of every organisation and the headline; one more O(n log n) solve
    /// (the unconstrained optimum).
    public func explain() -> FundingExplanation {
        let free = model.unbounded
        let freeSolution = BreakpointSolver.solve(free, budget: budget)
        let freeWhole = WholePoundRounding.round(freeSolution.allocations, model: free, budget: budget)
        let budgetShare = budget > 0 ? 1 / Double(budget) : 0
        var rows: [OrganisationExplanation] = []
        rows.reserveCapacity(organisations.count)
        for (index, line) in organisations.enumerated() {
            let binding = Self.binding(line, unclipped: unclipped(index), lambda: lambda)
            let previous = line.organisation.previous
            let change = previous.map { line.allocation - $0 }
            let percent = previous.flatMap { $0 > 0 ? Double(line.allocation - $0) / Double($0) * 100 : nil }
            var shadow = 0.0
            switch binding {
            case .floor, .dampingBelow: shadow = lambda - line.weight / (line.scale + Double(line.bounds.lower))
            case .cap, .dampingAbove: shadow = line.weight / (line.scale + Double(line.bounds.upper ?? line.allocation)) - lambda
            case .none: shadow = 0
            }
            rows.append(
                OrganisationExplanation(
                    code: line.code, allocation: line.allocation, previous: previous, change: change, changePercent: percent,
                    riskWeight: line.organisation.riskWeight, capabilityGap: line.organisation.capabilityGap, weight: line.weight,
                    scale: line.scale, bounds: line.bounds, unconstrained: freeWhole[index],
                    distanceFromUnconstrained: line.allocation - freeWhole[index], share: Double(line.allocation) * budgetShare,
                    unconstrainedShare: Double(freeWhole[index]) * budgetShare, binding: binding, marginal: line.marginal,
                    shadowPrice: max(0, shadow), lambda: lambda))
        }
        let kinds: [FundingConstraint] = [.floor, .dampingBelow, .cap, .dampingAbove, .none]
        let totals = kinds.map { kind in
            var count = 0
            var allocated = 0
            var moved = 0
            for row in rows where row.binding == kind {
                count += 1
                allocated += row.allocation
                moved += row.distanceFromUnconstrained
            }
            return ConstraintTotal(constraint: kind, organisations: count, allocated: allocated, moved: moved)
        }
        let headline = FundingHeadline(
            budget: budget, lambda: lambda, unconstrainedLambda: freeSolution.lambda, objective: objective,
            unconstrainedObjective: FundingObjective.value(
                weights: free.weights, scales: free.scales, allocations: freeWhole.map(Double.init)),
            constraints: totals)
        return FundingExplanation(headline: headline, organisations: rows)
    }

    /// A bound binds when the organisation is at it and the formula (wᵢ/λ − cᵢ) would put it
    /// beyond, by more than rounding: its marginal value at the bound differs from λ by more
    /// than a part in 10¹².
    static func binding(_ line: AllocatedOrganisation, unclipped: Double, lambda: Double) -> FundingConstraint {
        let tolerance = 1e-12 * lambda
        if line.allocation == line.bounds.lower && unclipped < Double(line.bounds.lower)
            && lambda - line.weight / (line.scale + Double(line.bounds.lower)) > tolerance
        {
            return line.bounds.lowerSource
        }
        if let upper = line.bounds.upper,
            line.allocation == upper && unclipped > Double(upper)
                && line.weight / (line.scale + Double(upper)) - lambda > tolerance
        {
            return line.bounds.upperSource
        }
        return .none
    }
}

/// Numbers for sentences: at most six significant figures.
enum FundingNumber {
    static func short(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-4 && magnitude < 1e9 {
            var text = String(format: "%.6g", value)
            if text.contains("e") { text = String(value) }
            return text
        }
        return String(format: "%.5e", value)
    }
}
