import Foundation

/// A ladder of monitoring stages, held as data so that a deployment can follow the 2009
/// process, today's, or its own.
public struct MonitoringLadder: Equatable, Sendable {
    public struct Stage: Equatable, Sendable {
        /// Stored; never rename.
        public var code: String
        /// 1 for the lightest touch, rising with the intervention.
        public var rank: Int
        public var name: String
        public var description: String
        /// Entering this stage sets a public deadline (stage 4 of 2009's ladder).
        public var requiresDeadline: Bool

        public init(code: String, rank: Int, name: String, description: String, requiresDeadline: Bool = false) {
            self.code = code
            self.rank = rank
            self.name = name
            self.description = description
            self.requiresDeadline = requiresDeadline
        }
    }

    public var code: String
    public var title: String
    public var source: String
    /// Lightest first.
    public var stages: [Stage]

    public init(code: String, title: String, source: String, stages: [Stage]) {
        self.code = code
        self.title = title
        self.source = source
        self.stages = stages
    }

    public func stage(_ code: String) -> Stage? { stages.first { $0.code == code } }

    /// HMIC's performance escalation process from April 2009 (DOMAIN.md, Performance escalation).
    public static let performance2009 = MonitoringLadder(
        code: "police-performance-2009",
        title: "Police performance escalation (2009)",
        source: "HMIC's process for forces of concern, from April 2009 (DOMAIN.md, Performance escalation)",
        stages: [
            Stage(
                code: "stage-1", rank: 1, name: "Stage 1: local monitoring",
                description: "Monitored locally by the police authority, with the inspectorate watching nationally."),
            Stage(
                code: "stage-2", rank: 2, name: "Stage 2: inspectorate monitoring",
                description: "Consistent under-performance: the inspectorate monitors the force itself."),
            Stage(
                code: "stage-3", rank: 3, name: "Stage 3: improvement plan review",
                description: "No convincing improvement plan: the inspectorate reviews the force's plan or commissions a review."),
            Stage(
                code: "stage-4", rank: 4, name: "Stage 4: public interest letter",
                description: "A public interest letter sets a public deadline for improvement.", requiresDeadline: true),
            Stage(
                code: "stage-5", rank: 5, name: "Stage 5: referral to the Home Secretary",
                description: "The force is referred to the Home Secretary."),
        ])

    /// Today's two phases: routine monitoring, and enhanced monitoring for forces in
    /// difficulty, with published lists and dates (DOMAIN.md, Recommendations and follow-up).
    public static let scanEngage = MonitoringLadder(
        code: "scan-engage",
        title: "Monitoring: scan and engage",
        source: "Today's inspectorate of constabulary (DOMAIN.md, Recommendations and follow-up)",
        stages: [
            Stage(code: "scan", rank: 1, name: "Scan", description: "Routine monitoring."),
            Stage(code: "engage", rank: 2, name: "Engage", description: "Enhanced monitoring of a force in difficulty."),
        ])

    /// The ladders shipped.
    public static let shipped: [MonitoringLadder] = [performance2009, scanEngage]
}

/// A stretch of time in one stage: from the day entered up to (not including) the day
/// left; `exited` is nil while it lasts.
public struct MonitoringPeriod: Equatable, Sendable, Codable {
    public var stage: String
    public var entered: CivilDate
    public var exited: CivilDate?
    /// Why it entered this stage.
    public var reason: String
    public var by: UUID?
    /// The public deadline set on entering (stage 4 of the 2009 ladder).
    public var deadline: CivilDate?

    public init(stage: String, entered: CivilDate, exited: CivilDate?, reason: String, by: UUID?, deadline: CivilDate?) {
        self.stage = stage
        self.entered = entered
        self.exited = exited
        self.reason = reason
        self.by = by
        self.deadline = deadline
    }

    public func contains(_ date: CivilDate) -> Bool {
        entered <= date && exited.map { date < $0 } ?? true
    }
}
