/// Combines levels by a framework's rule. Pure, total and monotonic: raising any input
/// never lowers the result (property-tested).
public enum Rollup {
    /// - Parameter levels: level and weight of each part; nil when any part is unjudged.
    public static func combine(_ parts: [(level: Int, weight: Double)], rule: RollupRule) -> Int? {
        guard !parts.isEmpty else { return nil }
        switch rule {
        case .lowest:
            return parts.map(\.level).min()
        case .meanRoundedDown:
            let total = parts.reduce(0) { $0 + $1.level }
            // Integer floor division, also correct for negative levels.
            let (quotient, remainder) = total.quotientAndRemainder(dividingBy: parts.count)
            return remainder < 0 ? quotient - 1 : quotient
        case .weightedMean:
            let weight = parts.reduce(0.0) { $0 + $1.weight }
            guard weight > 0 else { return nil }
            let mean = parts.reduce(0.0) { $0 + Double($1.level) * $1.weight } / weight
            // A tiny tolerance so that 2.9999999 from floating-point sums counts as 3. Weights
            // are bounded when a framework is read; a mean that is still not a whole-number-
            // sized finite value gives no level rather than a trap.
            return Int(exactly: (mean + 1e-9).rounded(.down))
        }
    }
}

/// An organisation's levels, criterion by criterion, in one assessment.
public typealias CriterionLevels = [String: Int]

extension Framework {
    /// The area's level, or nil while any of its criteria is unjudged.
    public func level(of area: Area, given levels: CriterionLevels) -> Int? {
        var parts: [(level: Int, weight: Double)] = []
        for criterion in area.criteria {
            guard let level = levels[criterion.code] else { return nil }
            parts.append((level, criterion.weight))
        }
        return Rollup.combine(parts, rule: area.rollup ?? rollup)
    }

    public func areaLevels(given levels: CriterionLevels) -> [String: Int] {
        var result: [String: Int] = [:]
        for area in areas {
            if let level = level(of: area, given: levels) { result[area.code] = level }
        }
        return result
    }

    /// The overall stage: the area levels combined by the framework's rule.
    public func overallStage(areaLevels: [String: Int]) -> Int? {
        var parts: [(level: Int, weight: Double)] = []
        for area in areas {
            guard let level = areaLevels[area.code] else { return nil }
            parts.append((level, area.weight))
        }
        return Rollup.combine(parts, rule: rollup)
    }
}
