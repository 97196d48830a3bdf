import Foundation

/// One organisation's two figures for a "what works" analysis: its capability (an area's
/// level, or the overall stage) and its value of an outcome indicator. Either may be missing.
public struct WhatWorksObservation: Equatable, Sendable, Codable {
    public var organisation: String
    public var capability: Double?
    public var outcome: Double?

    public init(organisation: String, capability: Double?, outcome: Double?) {
        self.organisation = organisation
        self.capability = capability
        self.outcome = outcome
    }
}

/// Organisations left out of an analysis, by why. None is dropped silently: the page
/// counts them (`WhatWorksAnalysis.missingStatement`).
public struct MissingData: Equatable, Sendable, Codable {
    /// No capability (in either cycle, for change against change), outcome present.
    public var capability: [String] = []
    /// No outcome value, capability present.
    public var outcome: [String] = []
    /// Neither figure.
    public var both: [String] = []
    /// Change against change only: seen in one of the two cycles.
    public var notInBothCycles: [String] = []

    public var count: Int { capability.count + outcome.count + both.count + notInBothCycles.count }
}

/// Does capability go with the outcome across organisations? Spearman's rho with its
/// interval, n and p-value (`Spearman`), the data, who is missing, whether the correlation
/// may be shown at all, and what the design can and cannot say.
public struct WhatWorksAnalysis: Equatable, Sendable {
    public enum Design: String, Codable, Sendable {
        /// Capability against outcome, one cycle.
        case crossSection = "cross_section"
        /// Change in capability against change in outcome, same organisations, two cycles.
        case changeAgainstChange = "change_against_change"
    }

    public let design: Design
    /// Organisations with both figures (for change against change, the two changes), sorted
    /// by organisation code: the table and scatter chart beside the figures.
    public let pairs: [WhatWorksObservation]
    public let missing: MissingData
    /// Computed whenever it can be, even below the minimum n, for analysts and tests; the page
    /// shows `correlationToShow`.
    public let correlation: Result<SpearmanCorrelation, CorrelationUnavailable>

    public var n: Int { pairs.count }

    /// True when fewer than `WhatWorksEvidence.minimumOrganisations` have both figures: the
    /// page shows the data and no correlation.
    public var showsDataOnly: Bool { n < WhatWorksEvidence.minimumOrganisations }

    /// The correlation the page may show: nil when n is below the minimum or it cannot be computed.
    public var correlationToShow: SpearmanCorrelation? {
        guard !showsDataOnly, case .success(let result) = correlation else { return nil }
        return result
    }

    public var evidenceLevel: MarylandLevel { WhatWorksEvidence.level }

    /// Everything the page must print beside the figures, in order.
    public var statements: [String] {
        var lines = [design == .crossSection ? WhatWorksEvidence.statement : WhatWorksEvidence.changeStatement]
        if showsDataOnly {
            lines.append(WhatWorksEvidence.tooFewStatement(n: n))
        } else if case .failure(let reason) = correlation {
            lines.append(reason.description + ".")
        }
        if let summary { lines.append(summary) }
        if let missingStatement { lines.append(missingStatement) }
        return lines
    }

    /// The result in words, without adjectives of strength: the direction, and whether the
    /// interval includes no association at all.
    public var summary: String? {
        guard let result = correlationToShow else { return nil }
        let figures =
            String(
                format: "Spearman's rho %.2f; 95%% confidence interval %.2f to %.2f; n = %d; ", result.rho, result.ciLow, result.ciHigh,
                result.n)
            + "p = \(Self.pText(result.pValue))"
        if !result.intervalExcludesZero {
            return
                "Across \(result.n) organisations the data are consistent with no association between capability and the outcome (\(figures))."
        }
        let relation =
            switch design {
            case .crossSection: "higher capability went with \(result.rho > 0 ? "higher" : "lower") values of the outcome"
            case .changeAgainstChange: "a rise in capability went with a \(result.rho > 0 ? "rise" : "fall") in the outcome"
            }
        return "Across \(result.n) organisations, \(relation) (\(figures))."
    }

    /// How many organisations are left out and why; nil when none are.
    public var missingStatement: String? {
        guard missing.count > 0 else { return nil }
        var parts: [String] = []
        func add(_ count: Int, _ singular: String, _ plural: String) {
            if count > 0 { parts.append("\(count) \(count == 1 ? singular : plural)") }
        }
        add(missing.capability.count, "has no capability level", "have no capability level")
        add(missing.outcome.count, "has no outcome value", "have no outcome value")
        add(missing.both.count, "has neither", "have neither")
        add(missing.notInBothCycles.count, "was not seen in both cycles", "were not seen in both cycles")
        let total = missing.count
        return "\(total) organisation\(total == 1 ? " is" : "s are") not in the analysis: \(parts.joined(separator: "; "))."
    }

    static func pText(_ p: Double) -> String { p < 0.001 ? "< 0.001" : String(format: "%.3f", p) }
}

/// Builds `WhatWorksAnalysis` from observations.
public enum WhatWorks {
    /// Capability against outcome across organisations in one cycle.
    /// - Throws: `FieldError` on `organisation` when an organisation is given twice.
    public static func analyse(_ observations: [WhatWorksObservation]) throws -> WhatWorksAnalysis {
        try checkUnique(observations, cycle: nil)
        var pairs: [WhatWorksObservation] = []
        var missing = MissingData()
        for observation in observations.sorted(by: { $0.organisation < $1.organisation }) {
            switch (observation.capability, observation.outcome) {
            case (.some, .some): pairs.append(observation)
            case (nil, .some): missing.capability.append(observation.organisation)
            case (.some, nil): missing.outcome.append(observation.organisation)
            case (nil, nil): missing.both.append(observation.organisation)
            }
        }
        return make(.crossSection, pairs: pairs, missing: missing)
    }

    /// Change in capability against change in the outcome, for the organisations seen in both
    /// cycles: each pair is (later − earlier capability, later − earlier outcome).
    /// - Throws: `FieldError` on `organisation` when an organisation is given twice in a cycle.
    public static func changeAgainstChange(earlier: [WhatWorksObservation], later: [WhatWorksObservation]) throws -> WhatWorksAnalysis {
        try checkUnique(earlier, cycle: "earlier")
        try checkUnique(later, cycle: "later")
        let before = Dictionary(earlier.map { ($0.organisation, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(later.map { ($0.organisation, $0) }, uniquingKeysWith: { first, _ in first })
        var pairs: [WhatWorksObservation] = []
        var missing = MissingData()
        for organisation in Set(before.keys).union(after.keys).sorted() {
            guard let first = before[organisation], let second = after[organisation] else {
                missing.notInBothCycles.append(organisation)
                continue
            }
            let capability = first.capability.flatMap { start in second.capability.map { $0 - start } }
            let outcome = first.outcome.flatMap { start in second.outcome.map { $0 - start } }
            switch (capability, outcome) {
            case (.some, .some): pairs.append(WhatWorksObservation(organisation: organisation, capability: capability, outcome: outcome))
            case (nil, .some): missing.capability.append(organisation)
            case (.some, nil): missing.outcome.append(organisation)
            case (nil, nil): missing.both.append(organisation)
            }
        }
        return make(.changeAgainstChange, pairs: pairs, missing: missing)
    }

    private static func make(_ design: WhatWorksAnalysis.Design, pairs: [WhatWorksObservation], missing: MissingData) -> WhatWorksAnalysis {
        let correlation = Spearman.correlate(pairs.map { $0.capability ?? .nan }, pairs.map { $0.outcome ?? .nan })
        // Name the variables as the page does, not x and y.
        let named: Result<SpearmanCorrelation, CorrelationUnavailable> = correlation.mapError { reason in
            switch reason {
            case .constant(let variable): .constant(variable: variable == "x" ? "capability" : "outcome value")
            case .notFinite(let variable, let position):
                .notFinite(variable: variable == "x" ? "capability" : "outcome value", position: position)
            default: reason
            }
        }
        return WhatWorksAnalysis(design: design, pairs: pairs, missing: missing, correlation: named)
    }

    private static func checkUnique(_ observations: [WhatWorksObservation], cycle: String?) throws {
        var seen: Set<String> = []
        for observation in observations where !seen.insert(observation.organisation).inserted {
            throw FieldError("organisation", "\(observation.organisation) is given twice\(cycle.map { " in the \($0) cycle" } ?? "")")
        }
    }
}
