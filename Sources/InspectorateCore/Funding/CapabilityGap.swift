/// The capability gap g of the funding model (issue 12): the sum over the tier's areas of
/// how many levels the organisation's area level is below the tier's minimum, 0 where it
/// meets it, from the latest *final* results of a named cycle (the caller chooses them).
///
/// An unjudged area counts as short by the whole minimum above the bottom of the scale, as
/// `AreaCompliance.shortfall` does (Frameworks/Results.swift): with a scale from 1 and a
/// minimum of 3, an area with no level adds 3, one at level 1 adds 2. So leaving an area
/// unjudged never lowers the gap, and never raises the weight less than the worst judgement.
public enum CapabilityGap {
    /// Σ over areas of max(0, minimum − level), an unjudged area's level taken as one below
    /// `scaleBottom`. Areas without a minimum do not count.
    /// - Parameters:
    ///   - areaLevels: area code → level, for the areas judged.
    ///   - minimums: area code → the tier's minimum level.
    ///   - scaleBottom: the lowest level of the framework's scale.
    public static func of(areaLevels: [String: Int], minimums: [String: Int], scaleBottom: Int) -> Int {
        var gap = 0
        for (area, minimum) in minimums {
            gap += max(0, minimum - (areaLevels[area] ?? (scaleBottom - 1)))
        }
        return gap
    }

    /// The gap of results already computed against a tier (`Framework.result(for:tier:)`).
    public static func of(_ result: OrganisationResult) -> Int {
        result.compliance.reduce(0) { $0 + $1.shortfall }
    }
}

extension Framework {
    /// The capability gap of `areaLevels` against `tier` (every area of the framework,
    /// with the scale's bottom as the minimum where the tier sets none, as `result` does).
    public func capabilityGap(areaLevels: [String: Int], tier: RiskTier?) -> Int {
        var minimums: [String: Int] = [:]
        for area in areas { minimums[area.code] = tier?.minimums[area.code] ?? levels.lowerBound }
        return CapabilityGap.of(areaLevels: areaLevels, minimums: minimums, scaleBottom: levels.lowerBound)
    }
}
