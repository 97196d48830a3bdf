import Foundation

/// One organisation's place in a solved round.
public struct AllocatedOrganisation: Sendable, Equatable {
    public let organisation: FundingOrganisation
    /// w = r × (1 + g).
    public let weight: Double
    /// c, in pounds, as resolved (given, last year's allocation, or budget ÷ n).
    public let scale: Double
    public let bounds: FundingBounds
    /// The continuous optimum xᵢ, before rounding to whole pounds.
    public let exact: Double
    /// Whole pounds; the allocations of a round add up to its budget exactly.
    public let allocation: Int

    public var code: String { organisation.code }

    /// w / (c + x): what the last pound given to this organisation is worth, in the
    /// objective's units per pound, at its whole-pound allocation.
    public var marginal: Double { weight / (scale + Double(allocation)) }
}

/// A solved funding round: the whole-pound allocation that maximises Σ wᵢ·ln(1 + xᵢ/cᵢ)
/// within the bounds, and λ, the value of the last pound.
public struct FundingAllocation: Sendable, Equatable {
    public let round: FundingRound
    /// λ > 0, in the objective's units per pound. See `BreakpointSolver` for the choice
    /// when several values fit.
    public let lambda: Double
    /// In the round's order (by code).
    public let organisations: [AllocatedOrganisation]
    /// t = 1/λ, kept exactly as solved: wᵢ·t − cᵢ is where the formula alone would put xᵢ.
    let time: Double
    let model: AllocationModel

    public var budget: Int { round.budget }

    /// Σ wᵢ·ln(1 + xᵢ/cᵢ) at the whole-pound allocation.
    public var objective: Double {
        FundingObjective.value(weights: model.weights, scales: model.scales, allocations: organisations.map { Double($0.allocation) })
    }

    public func organisation(_ code: String) -> AllocatedOrganisation? {
        var low = 0
        var high = organisations.count
        while low < high {
            let middle = (low + high) / 2
            if organisations[middle].code < code { low = middle + 1 } else { high = middle }
        }
        return low < organisations.count && organisations[low].code == code ? organisations[low] : nil
    }

    /// wᵢ/λ − cᵢ: where the formula would put the organisation at this λ without its
    /// bounds. Below lo, the lower bound holds it up; above hi, the upper bound holds it down.
    func unclipped(_ index: Int) -> Double { model.weights[index] * time - model.scales[index] }
}

/// The objective, summed with compensation; ln(1 + x/c) is computed as log1p for small x/c.
public enum FundingObjective {
    public static func value(weights: [Double], scales: [Double], allocations: [Double]) -> Double {
        var sum = CompensatedSum()
        for index in weights.indices {
            sum += weights[index] * log1p(allocations[index] / scales[index])
        }
        return sum.value
    }
}

extension FundingRound {
    /// Each organisation's whole-pound bounds, in the round's order.
    public var bounds: [FundingBounds] { organisations.map { FundingBounds($0, damping: damping) } }

    /// Solves the round: the breakpoint method for λ and the continuous optimum, then
    /// whole pounds by largest remainder. O(n log n).
    /// - Throws: `FundingInfeasible` when Σ lo > B, Σ hi < B or some lo > hi.
    public func allocate() throws -> FundingAllocation {
        let bounds = self.bounds
        if let infeasible = FundingInfeasible.check(round: self, bounds: bounds) { throw infeasible }
        let model = AllocationModel(round: self, bounds: bounds)
        return Self.allocation(round: self, bounds: bounds, model: model, budget: budget)
    }

    /// Solves `model` (feasible at `budget`) and wraps the result for `round`.
    static func allocation(round: FundingRound, bounds: [FundingBounds], model: AllocationModel, budget: Int) -> FundingAllocation {
        let solution = BreakpointSolver.solve(model, budget: budget)
        let whole = WholePoundRounding.round(solution.allocations, model: model, budget: budget)
        var organisations: [AllocatedOrganisation] = []
        organisations.reserveCapacity(model.count)
        for index in 0..<model.count {
            organisations.append(
                AllocatedOrganisation(
                    organisation: round.organisations[index], weight: model.weights[index], scale: model.scales[index],
                    bounds: bounds[index], exact: solution.allocations[index], allocation: whole[index]))
        }
        return FundingAllocation(round: round, lambda: solution.lambda, organisations: organisations, time: solution.time, model: model)
    }
}

/// The whole-pound optimum of a model without wrapping it: the waterfall's counterfactual
/// solves and the explanation's unconstrained optimum.
extension AllocationModel {
    func wholePounds(budget: Int) -> [Int] {
        let solution = BreakpointSolver.solve(self, budget: budget)
        return WholePoundRounding.round(solution.allocations, model: self, budget: budget)
    }
}
