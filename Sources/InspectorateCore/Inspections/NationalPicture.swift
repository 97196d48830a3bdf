/// One organisation's row in the national picture. Its inspected levels are those of a
/// *final* inspection only: a draft is a working paper, not a finding, and reaches nobody's
/// picture, headline, heat map or export.
public struct PictureRow: Equatable, Sendable {
    public var organisation: String
    public var name: String
    public var region: String?
    public var kind: String
    public var tier: String?
    /// Area code to level, from the final inspection (empty when there is none yet).
    public var areaLevels: [String: Int]
    public var overallStage: Int?
    /// Whether it meets its tier's minimum: nil unless it has both a tier and a final inspection.
    public var meetsMinimum: Bool?
    /// The organisation's own levels (a self-assessment it has submitted), for calibration.
    public var selfAreaLevels: [String: Int]
    /// Inspected levels in the previous cycle, for movement.
    public var previousAreaLevels: [String: Int] = [:]
    /// Where the inspection stands in its workflow, for the inspectorate's own staff (nil for
    /// everyone else, and when there is none).
    public var inspectionStatus: AssessmentStatus? = nil

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

    /// Inspected: a final inspection with its results.
    public var isInspected: Bool { overallStage != nil || !areaLevels.isEmpty }
}

/// The figures above the heat map, each with the denominator it is out of: computed from the
/// rows the viewer may see, so counts never include what a filter or the access rule hides.
/// "Meets the minimum" is counted only for an organisation that has a tier and a final
/// inspection; those without a tier, and those not yet inspected, are counted as such.
public struct PictureSummary: Equatable, Sendable, Codable {
    /// Every organisation the filters select.
    public var organisations: Int
    /// With a final inspection.
    public var inspected: Int
    /// With a risk tier set.
    public var tiered: Int
    /// With a tier and a final inspection: the denominator of `meetingMinimum`.
    public var inspectedWithTier: Int
    /// Of `inspectedWithTier`, those meeting their tier's minimum in every area.
    public var meetingMinimum: Int
    /// No tier set yet (inspected or not).
    public var tierNotSet: Int
    /// No final inspection yet.
    public var notYetInspected: Int
    /// Per area: of `inspectedWithTier`, how many meet their tier's minimum there.
    public var meetingByArea: [String: Int]
    /// Overall stage to number of inspected organisations (out of `inspected`).
    public var stageDistribution: [Int: Int]
    /// Per area: mean of (inspection − self-assessment) over organisations with both.
    public var calibrationByArea: [String: Double]
    /// How many organisations the calibration rests on (those with both, in any area).
    public var calibrationOrganisations: Int
    /// Per area: mean change in level since the previous cycle, over organisations inspected in both.
    public var movementByArea: [String: Double]
    /// How many organisations the movement rests on.
    public var movementOrganisations: Int

    public static func compute(rows: [PictureRow], framework: Framework) -> PictureSummary {
        var summary = PictureSummary(
            organisations: rows.count, inspected: 0, tiered: 0, inspectedWithTier: 0, meetingMinimum: 0, tierNotSet: 0,
            notYetInspected: 0, meetingByArea: [:], stageDistribution: [:], calibrationByArea: [:], calibrationOrganisations: 0,
            movementByArea: [:], movementOrganisations: 0)
        var gaps: [String: [Int]] = [:]
        var moves: [String: [Int]] = [:]
        for row in rows {
            let tier = row.tier.flatMap(framework.tier)
            if tier != nil { summary.tiered += 1 } else { summary.tierNotSet += 1 }
            guard row.isInspected else {
                summary.notYetInspected += 1
                continue
            }
            summary.inspected += 1
            if let stage = row.overallStage { summary.stageDistribution[stage, default: 0] += 1 }
            let movement = framework.movement(previous: row.previousAreaLevels, current: row.areaLevels)
            if !movement.isEmpty { summary.movementOrganisations += 1 }
            for (area, change) in movement { moves[area, default: []].append(change) }
            var calibrated = false
            for area in framework.areas {
                if let graded = row.areaLevels[area.code], let own = row.selfAreaLevels[area.code] {
                    gaps[area.code, default: []].append(graded - own)
                    calibrated = true
                }
            }
            if calibrated { summary.calibrationOrganisations += 1 }
            guard let tier else { continue }
            summary.inspectedWithTier += 1
            if row.meetsMinimum == true { summary.meetingMinimum += 1 }
            for area in framework.areas {
                if let level = row.areaLevels[area.code], level >= (tier.minimums[area.code] ?? framework.levels.lowerBound) {
                    summary.meetingByArea[area.code, default: 0] += 1
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

    /// A mean as pages show it: one decimal, signed, and never "-0.0".
    public static func signed(_ value: Double?) -> String {
        guard let value else { return "–" }
        let rounded = (value * 10).rounded() / 10
        if rounded == 0 { return "0.0" }
        let text = String(format: "%.1f", abs(rounded))
        return rounded > 0 ? "+" + text : "−" + text
    }
}
