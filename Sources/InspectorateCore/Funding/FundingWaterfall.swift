/// Last year's inputs, for the waterfall. Anything absent is taken as this year's, so its
/// step is zero.
public struct LastYearInputs: Sendable, Equatable {
    /// B₀; when nil, the sum of this round's previous allocations.
    public var budget: Int?
    /// r of last year, by organisation code.
    public var riskWeights: [String: Double]
    /// g of last year, by organisation code.
    public var capabilityGaps: [String: Int]

    public init(budget: Int? = nil, riskWeights: [String: Double] = [:], capabilityGaps: [String: Int] = [:]) {
        self.budget = budget
        self.riskWeights = riskWeights
        self.capabilityGaps = capabilityGaps
    }
}

/// From last year's allocation to this year's, in whole pounds, one step per input group.
///
/// The method: successive counterfactual solves, changing one group of inputs at a time
/// in this order, each solved and rounded exactly as a round is (largest remainder), with
/// this year's scales c throughout:
///
/// | solve | budget | risk r | gap g | floors and caps | band |
/// |---|---|---|---|---|---|
/// | A₀ | B₀ | last year's | last year's | none | none |
/// | A₁ | B | last year's | last year's | none | none |
/// | A₂ | B | this year's | last year's | none | none |
/// | A₃ | B | this year's | this year's | none | none |
/// | A₄ | B | this year's | this year's | this year's | none |
/// | x | B | this year's | this year's | this year's | this year's |
///
/// The steps are the differences: restatement = A₀ − previous (what this model gives on
/// last year's inputs against what was paid: last year's own damping, a change of model
/// or of scale), budget = A₁ − A₀, risk = A₂ − A₁, gap = A₃ − A₂, floors and caps = A₄ − A₃,
/// damping = x − A₄. They telescope, so they add up to allocation − previous exactly.
/// A₃ is the unconstrained optimum of the explanation. A₄ is always feasible when the
/// round is: Σ floor ≤ Σ lo ≤ B and Σ cap ≥ Σ hi ≥ B. An organisation new this year
/// starts from £0. Across organisations, each step except budget and restatement sums to
/// £0; budget sums to B − B₀, restatement to B₀ − Σ previous (£0 by default).
/// The order matters (a different order gives different steps with the same total);
/// this one follows the decision: the budget is set first, then the risk assessment,
/// then the inspection results, then the round's rules.
public struct OrganisationWaterfall: Sendable, Equatable {
    public let code: String
    /// Last year's allocation (£0 when there was none).
    public let start: Int
    public let restatement: Int
    public let budget: Int
    public let risk: Int
    public let gap: Int
    public let floorsAndCaps: Int
    public let damping: Int
    /// This year's allocation.
    public let end: Int

    public var steps: [(name: String, pounds: Int)] {
        [
            ("restatement", restatement), ("budget", budget), ("risk", risk), ("gap", gap), ("floors and caps", floorsAndCaps),
            ("damping", damping),
        ]
    }
}

extension FundingAllocation {
    /// The waterfall of every organisation, in the round's order. Up to five more solves
    /// (one fewer for each input group that did not change).
    /// - Throws: `FundingInputError` for a bad last-year weight, gap or budget.
    public func waterfall(lastYear: LastYearInputs = LastYearInputs()) throws -> [OrganisationWaterfall] {
        try waterfall(lastYear: lastYear, unconstrained: nil)
    }

    /// - Parameter unconstrained: A₃ when already solved (the explanation's unconstrained optimum).
    func waterfall(lastYear: LastYearInputs, unconstrained known: [Int]?) throws -> [OrganisationWaterfall] {
        let organisations = round.organisations
        var problems: [FundingProblem] = []
        for (index, organisation) in organisations.enumerated() {
            if let risk = lastYear.riskWeights[organisation.code], let message = FundingLimits.checkWeight(risk) {
                problems.append(FundingProblem(row: index + 1, organisation: organisation.code, column: .weight, "last year's \(message)"))
            }
            if let gap = lastYear.capabilityGaps[organisation.code], gap < 0 || gap > FundingLimits.largestGap {
                problems.append(
                    FundingProblem(
                        row: index + 1, organisation: organisation.code, column: .capabilityGap,
                        "last year's gap must be from 0 to \(FundingLimits.largestGap)"))
            }
        }
        let starts = organisations.map { $0.previous ?? 0 }
        let lastBudget = lastYear.budget ?? starts.reduce(0, +)
        if lastBudget < 0 || lastBudget > FundingLimits.largestBudget {
            problems.append(
                FundingProblem(column: .budget, "last year's budget must be from £0 to \(Pounds.format(FundingLimits.largestBudget))"))
        }
        if !problems.isEmpty { throw FundingInputError(problems: problems) }

        func weights(risk lastRisk: Bool, gap lastGap: Bool) -> [Double] {
            organisations.map { organisation in
                let risk = lastRisk ? lastYear.riskWeights[organisation.code] ?? organisation.riskWeight : organisation.riskWeight
                let gap = lastGap ? lastYear.capabilityGaps[organisation.code] ?? organisation.capabilityGap : organisation.capabilityGap
                return risk * Double(1 + gap)
            }
        }
        let free = model.unbounded
        let unconstrained = known ?? free.wholePounds(budget: budget)
        // A solve whose inputs equal the next one's is not repeated (the CLI has no last-year inputs).
        func solve(_ weights: [Double], budget: Int) -> [Int] {
            if budget == self.budget && weights == free.weights { return unconstrained }
            return AllocationModel(weights: weights, scales: free.scales, lower: free.lower, upper: free.upper).wholePounds(budget: budget)
        }
        let lastWeights = weights(risk: true, gap: true)
        let restated = solve(lastWeights, budget: lastBudget)
        let budgeted = solve(lastWeights, budget: budget)
        let risked = solve(weights(risk: false, gap: true), budget: budget)
        let boundsWithoutBand = organisations.map { FundingBounds($0, damping: nil) }
        let bounded = AllocationModel(
            weights: model.weights, scales: model.scales, lower: boundsWithoutBand.map(\.lower),
            upper: boundsWithoutBand.map(\.upper)
        ).wholePounds(budget: budget)
        return self.organisations.indices.map { index in
            OrganisationWaterfall(
                code: organisations[index].code, start: starts[index], restatement: restated[index] - starts[index],
                budget: budgeted[index] - restated[index], risk: risked[index] - budgeted[index], gap: unconstrained[index] - risked[index],
                floorsAndCaps: bounded[index] - unconstrained[index], damping: self.organisations[index].allocation - bounded[index],
                end: self.organisations[index].allocation)
        }
    }
}
