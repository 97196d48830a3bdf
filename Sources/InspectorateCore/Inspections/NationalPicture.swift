/// One organisation's row in the national picture.
public struct PictureRow: Equatable, Sendable {
    public var organisation: String
    public var name: String
    public var region: String?
    public var kind: String
    public var tier: String?
    /// Area code to level, from the assessment shown (nil when not yet assessed).
    public var areaLevels: [String: Int]
    public var overallStage: Int?
    public var meetsMinimum: Bool?
    /// The organisation's own levels, for calibration.
    public var selfAreaLevels: [String: Int]
    /// Inspected levels in the previous cycle, for movement.
    public var previousAreaLevels: [String: Int] = [:]

    public init(
        organisation: String, name: String, region: String?, kind: String, tier: String?, areaLevels: [String: Int],
        overallStage: Int?, meetsMinimum: Bool?, selfAreaLevels: [String: Int]
    ) {
        self.organisation = organisation
        self.name = name
        self.region = region
        self.kind = kind
        self.tier = tier
        self.areaLevels = areaLevels
        self.overallStage = overallStage
        self.meetsMinimum = meetsMinimum
        self.selfAreaLevels = selfAreaLevels
    }
}

/// The figures above the heat map: computed from the rows the viewer may see, so counts
/// never include what a filter or the access rule hides.
public struct PictureSummary: Equatable, Sendable, Codable {
    public var organisations: Int
    public var assessed: Int
    public var meetingMinimum: Int
    /// Per area: how many assessed organisations meet their tier's minimum there.
    public var meetingByArea: [String: Int]
    /// Overall stage to number of organisations.
    public var stageDistribution: [Int: Int]
    /// Per area: mean of (inspection − self-assessment) over organisations with both.
    public var calibrationByArea: [String: Double]
    /// Per area: mean change in level since the previous cycle, over organisations inspected in both.
    public var movementByArea: [String: Double] = [:]

    public static func compute(rows: [PictureRow], framework: Framework) -> PictureSummary {
        var summary = PictureSummary(
            organisations: rows.count, assessed: 0, meetingMinimum: 0, meetingByArea: [:], stageDistribution: [:], calibrationByArea: [:])
        var gaps: [String: [Int]] = [:]
        var moves: [String: [Int]] = [:]
        for row in rows {
            for (area, change) in framework.movement(previous: row.previousAreaLevels, current: row.areaLevels) {
                moves[area, default: []].append(change)
            }
            if row.meetsMinimum != nil && !row.areaLevels.isEmpty { summary.assessed += 1 }
            if row.meetsMinimum == true { summary.meetingMinimum += 1 }
            if let stage = row.overallStage { summary.stageDistribution[stage, default: 0] += 1 }
            let tier = row.tier.flatMap(framework.tier)
            for area in framework.areas {
                if let level = row.areaLevels[area.code], level >= (tier?.minimums[area.code] ?? framework.levels.lowerBound) {
                    summary.meetingByArea[area.code, default: 0] += 1
                }
                if let graded = row.areaLevels[area.code], let own = row.selfAreaLevels[area.code] {
                    gaps[area.code, default: []].append(graded - own)
                }
            }
        }
        for (area, values) in gaps where !values.isEmpty {
            summary.calibrationByArea[area] = Double(values.reduce(0, +)) / Double(values.count)
        }
        for (area, values) in moves where !values.isEmpty {
            summary.movementByArea[area] = Double(values.reduce(0, +)) / Double(values.count)
        }
        return summary
    }
}
