import Foundation

/// A capability framework: versioned data, never code. An inspectorate describes its own
/// scale, areas, criteria, roll-up and risk tiers in a YAML document.
public struct Framework: Equatable, Sendable, Codable {
    public var code: String
    public var version: String
    public var title: String
    public var source: String?
    public var publisher: String?
    /// Ordered from lowest to highest.
    public var scale: [ScaleLevel]
    public var rollup: RollupRule
    public var areas: [Area]
    public var tiers: [RiskTier]

    public var reference: String { "\(code)@\(version)" }

    public func area(_ code: String) -> Area? { areas.first { $0.code == code } }
    public func tier(_ code: String) -> RiskTier? { tiers.first { $0.code == code } }
    public var levels: ClosedRange<Int> { (scale.map(\.level).min() ?? 1)...(scale.map(\.level).max() ?? 1) }
    public func levelName(_ level: Int) -> String? { scale.first { $0.level == level }?.name }

    /// Every criterion with the area it belongs to, in document order.
    public var criteria: [(area: Area, criterion: Criterion)] {
        areas.flatMap { area in area.criteria.map { (area, $0) } }
    }
}

public struct ScaleLevel: Equatable, Sendable, Codable {
    public var level: Int
    public var name: String
    public var description: String
}

/// How criterion levels combine into an area's level, and area levels into the overall stage.
public enum RollupRule: String, Equatable, Sendable, Codable, CaseIterable {
    /// An area is only as mature as its weakest criterion.
    case lowest
    /// The arithmetic mean, rounded down so that an area never claims a level it has not reached.
    case meanRoundedDown = "mean_rounded_down"
    /// The mean weighted by each criterion's declared weight, rounded down.
    case weightedMean = "weighted_mean"
}

public struct Area: Equatable, Sendable, Codable {
    public var code: String
    public var title: String
    public var description: String?
    /// Overrides the framework's rule for this area.
    public var rollup: RollupRule?
    /// Weight of this area in the overall stage under `weighted_mean`.
    public var weight: Double
    public var criteria: [Criterion]
}

public struct Criterion: Equatable, Sendable, Codable {
    public var code: String
    public var title: String
    public var weight: Double
    /// What the criterion looks like at each level of the scale.
    public var descriptors: [Int: String]
    public var evidenceExpected: [String]
}

/// A risk tier: what an organisation at this level of risk must reach, and by when.
public struct RiskTier: Equatable, Sendable, Codable {
    public var code: String
    public var name: String
    public var description: String?
    /// The day by which the minimums are required (a calendar date, no time of day).
    public var deadline: String
    /// Minimum level per area code.
    public var minimums: [String: Int]
}
