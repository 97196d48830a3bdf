/// Which rule holds an organisation: its floor, its cap, the damping band below or above
/// last year's allocation, or none.
public enum FundingConstraint: String, Sendable, Codable, CaseIterable {
    case none
    case floor
    case cap
    case dampingBelow = "damping_below"
    case dampingAbove = "damping_above"

    /// "floor", "damping band (below)".
    public var label: String {
        switch self {
        case .none: "none"
        case .floor: "floor"
        case .cap: "cap"
        case .dampingBelow: "damping band (below)"
        case .dampingAbove: "damping band (above)"
        }
    }
}

/// An organisation's bounds in whole pounds: lo = max(floor, ⌈(1 − d)·previous⌉) and
/// hi = min(cap, ⌊(1 + d)·previous⌋), the terms that are absent dropping out (lo is then
/// £0, hi unbounded).
///
/// The band's limits are rounded *inward* to whole pounds, so the rounded allocation never
/// moves more than d from last year, to the pound; the continuous problem is solved with
/// these whole-pound bounds, so that rounding the optimum to whole pounds keeps every bound
/// (see `WholePoundRounding`). An interval built this way is empty only when a floor is
/// above the band's top or a cap below its bottom: it always holds last year's sum, a floor
/// or a cap otherwise. When the floor equals the band's bottom (or the cap its top), the
/// floor (or cap) is named as the bound.
public struct FundingBounds: Hashable, Sendable {
    public var lower: Int
    /// `.none`, `.floor` or `.dampingBelow`.
    public var lowerSource: FundingConstraint
    /// nil: no upper bound.
    public var upper: Int?
    /// `.none`, `.cap` or `.dampingAbove`.
    public var upperSource: FundingConstraint

    public init(lower: Int, lowerSource: FundingConstraint, upper: Int?, upperSource: FundingConstraint) {
        self.lower = lower
        self.lowerSource = lowerSource
        self.upper = upper
        self.upperSource = upperSource
    }

    public init(_ organisation: FundingOrganisation, damping: DampingBand?) {
        let bandBottom = both(damping, organisation.previous).map { $0.lowest(previous: $1) }
        let bandTop = both(damping, organisation.previous).map { $0.highest(previous: $1) }
        switch (organisation.floor, bandBottom) {
        case (let floor?, let band?) where band > floor: (lower, lowerSource) = (band, .dampingBelow)
        case (let floor?, _): (lower, lowerSource) = (floor, .floor)
        case (nil, let band?): (lower, lowerSource) = (band, .dampingBelow)
        case (nil, nil): (lower, lowerSource) = (0, .none)
        }
        switch (organisation.cap, bandTop) {
        case (let cap?, let band?) where band < cap: (upper, upperSource) = (band, .dampingAbove)
        case (let cap?, _): (upper, upperSource) = (cap, .cap)
        case (nil, let band?): (upper, upperSource) = (band, .dampingAbove)
        case (nil, nil): (upper, upperSource) = (nil, .none)
        }
    }

    public var isEmpty: Bool { upper.map { $0 < lower } ?? false }
}

private func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// The continuous problem in arrays, in the round's order (by code): weights, scales and
/// bounds as the solver reads them. The scale is resolved here once; the sweep and the
/// waterfall's counterfactual solves keep it, so that they move along one objective.
struct AllocationModel: Sendable, Equatable {
    var weights: [Double]
    var scales: [Double]
    var lower: [Int]
    /// nil: unbounded above.
    var upper: [Int?]

    var count: Int { weights.count }

    init(weights: [Double], scales: [Double], lower: [Int], upper: [Int?]) {
        self.weights = weights
        self.scales = scales
        self.lower = lower
        self.upper = upper
    }

    init(round: FundingRound, bounds: [FundingBounds]) {
        let fallback = max(1, Double(round.budget) / Double(max(1, round.organisations.count)))
        weights = round.organisations.map(\.weight)
        scales = round.organisations.map { organisation in
            if let scale = organisation.scale { return scale }
            if let previous = organisation.previous, previous > 0 { return Double(previous) }
            return fallback
        }
        lower = bounds.map(\.lower)
        upper = bounds.map(\.upper)
    }

    /// Σ lo, exact.
    var lowerTotal: Int { lower.reduce(0, +) }

    /// Σ hi, exact; nil when some organisation is unbounded above.
    var upperTotal: Int? {
        var total = 0
        for bound in upper {
            guard let bound else { return nil }
            total += bound
        }
        return total
    }

    /// The same weights and scales without bounds: lo = 0, hi unbounded.
    var unbounded: AllocationModel {
        AllocationModel(
            weights: weights, scales: scales, lower: Array(repeating: 0, count: count), upper: Array(repeating: nil, count: count))
    }
}
