import Foundation

/// The minimum-capability recommendation's derived status across organisations, as at a day:
/// how many meet their tier's minimum, by area and overall, and how many are forecast to
/// meet or miss the deadline. Computed from the rows a reader may see, like the national
/// picture's figures.
public struct MinimumCapabilityStatus: Equatable, Sendable {
    public struct Counts: Equatable, Sendable {
        /// Organisations the area (or the whole minimum) applies to.
        public var organisations: Int = 0
        public var metNow: Int = 0
        public var forecastMet: Int = 0
        public var forecastMissed: Int = 0
        public var notEnoughHistory: Int = 0

        public init() {}

        mutating func add(metNow: Bool, outcome: CapabilityOutcome) {
            organisations += 1
            if metNow { self.metNow += 1 }
            switch outcome {
            case .met: forecastMet += 1
            case .missed: forecastMissed += 1
            case .notEnoughHistory: notEnoughHistory += 1
            }
        }
    }

    public var asOf: CivilDate
    public var deadline: CivilDate
    public var overall: Counts
    /// By area code.
    public var byArea: [String: Counts]
    /// Each organisation's forecast, by organisation code.
    public var organisations: [OrganisationForecast]
    /// The organisations forecast to miss the deadline (or that missed it), by code.
    public var missing: [String] { organisations.filter { $0.outcome == .missed }.map(\.organisation) }

    /// - Parameters:
    ///   - inputs: one per organisation, each with its tier's minimums and its cycles.
    ///   - deadline: the day the minimums are due (31 March 2010 for the 2009 report).
    public static func compute(
        _ inputs: [CapabilityInput], asOf: CivilDate, deadline: CivilDate, scale: ClosedRange<Int>? = nil
    ) -> MinimumCapabilityStatus {
        var status = MinimumCapabilityStatus(asOf: asOf, deadline: deadline, overall: Counts(), byArea: [:], organisations: [])
        for input in inputs.sorted(by: { $0.organisation < $1.organisation }) {
            let forecast = CapabilityForecast.forecast(input, asOf: asOf, deadline: deadline, scale: scale)
            status.overall.add(metNow: forecast.metNow, outcome: forecast.outcome)
            for area in forecast.areas {
                status.byArea[area.area, default: Counts()].add(metNow: area.metNow, outcome: area.outcome)
            }
            status.organisations.append(forecast)
        }
        return status
    }
}
