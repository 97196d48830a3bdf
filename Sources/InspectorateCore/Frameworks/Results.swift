/// Where one area stands against its tier's minimum.
public struct AreaCompliance: Equatable, Sendable {
    public var area: String
    public var level: Int?
    public var minimum: Int
    /// How many levels short; 0 when met. Unjudged areas are short by the whole minimum
    /// above the bottom of the scale, so they never count as met.
    public var shortfall: Int
    public var met: Bool { level != nil && shortfall == 0 }
}

/// An organisation's results for one assessment, against its risk tier.
public struct OrganisationResult: Equatable, Sendable {
    public var areaLevels: [String: Int]
    public var overallStage: Int?
    public var compliance: [AreaCompliance]
    /// True exactly when every area meets its minimum.
    public var meetsMinimum: Bool
}

extension Framework {
    public func result(for levels: CriterionLevels, tier: RiskTier?) -> OrganisationResult {
        let areaLevels = self.areaLevels(given: levels)
        let compliance: [AreaCompliance] = areas.map { area in
            let minimum = tier?.minimums[area.code] ?? self.levels.lowerBound
            let level = areaLevels[area.code]
            let shortfall = max(0, minimum - (level ?? (self.levels.lowerBound - 1)))
            return AreaCompliance(area: area.code, level: level, minimum: minimum, shortfall: shortfall)
        }
        return OrganisationResult(
            areaLevels: areaLevels, overallStage: overallStage(areaLevels: areaLevels),
            compliance: compliance, meetsMinimum: compliance.allSatisfy(\.met))
    }

    /// Inspection minus self-assessment, criterion by criterion: negative where the
    /// organisation rated itself higher than the inspectors did.
    public func calibration(selfAssessment: CriterionLevels, inspection: CriterionLevels) -> [String: Int] {
        var gaps: [String: Int] = [:]
        for (_, criterion) in criteria {
            if let own = selfAssessment[criterion.code], let graded = inspection[criterion.code] {
                gaps[criterion.code] = graded - own
            }
        }
        return gaps
    }

    /// Change in each area's level since the previous cycle's final assessment.
    public func movement(previous: [String: Int], current: [String: Int]) -> [String: Int] {
        var result: [String: Int] = [:]
        for area in areas {
            if let before = previous[area.code], let now = current[area.code] { result[area.code] = now - before }
        }
        return result
    }
}
