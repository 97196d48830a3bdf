import Foundation

/// Four example indicators in the spirit of the 2009 Prevent framework, for the
/// demonstration (`serve --demo`), with a generator of **fictitious** values. The
/// definitions are illustrations written for this application, not published national
/// indicators; every value `fictitiousValues` makes is invented, and each indicator's first
/// caveat says so, so the notice is printed beside every figure.
public enum ExampleIndicators {
    /// Printed beside the examples' figures, and first in each example's caveats.
    public static let fictitiousNotice = "FICTITIOUS: these values are invented for the demonstration; they describe no real organisation."

    public static let yaml = """
        # Example indicators for the 2009 Prevent framework (illustrations, not published
        # national indicators). Any values loaded with them are fictitious.
        indicators:
          - code: prevent-isp-partners
            title: Partners with an agreed information-sharing protocol
            definition: >-
              Of the statutory partners in the force area (councils, education, health,
              probation, prisons), the percentage that have signed an information-sharing
              protocol with the force covering Prevent, counted on the last day of the quarter.
            unit: percentage
            kind: outcome
            polarity: higher_is_better
            source: Force Prevent lead's quarterly return to the inspectorate (example source).
            caveats:
              - "\(fictitiousNotice)"
              - Forces list their own statutory partners, so the number behind 100 % differs by force.
              - A signed protocol says nothing about how much is shared under it.
            frequency: quarter
            applies_to: [territorial_force]
            targets:
              - {value: 100, date: "2011-03-31"}
          - code: prevent-engagement-staff-rate
            title: Prevent engagement staff in post per 100,000 population
            definition: >-
              Full-time equivalent police officers and staff in dedicated Prevent engagement
              posts on 31 March, per 100,000 resident population (2011 Census).
            unit: rate_per_100000
            kind: input
            polarity: neither
            source: Force workforce return, Prevent posts (example source).
            caveats:
              - "\(fictitiousNotice)"
              - An input, not a result; more staff is not in itself better.
              - Posts that mix Prevent with other work are counted by the share of time on Prevent, as the force estimates it.
            frequency: financial_year
            applies_to: [territorial_force, special_force]
          - code: prevent-community-contacts
            title: Community contacts recorded
            definition: >-
              Meetings, events and visits with community organisations recorded by Prevent
              engagement staff in the quarter. A count of contacts with organisations, not of people.
            unit: count
            kind: output
            polarity: higher_is_better
            source: Force Prevent activity log, quarterly totals (example source).
            caveats:
              - "\(fictitiousNotice)"
              - Recording practice differs between forces; compare movement more than level.
            frequency: quarter
            applies_to: [territorial_force]
          - code: prevent-support-referrals
            title: Referrals received by the multi-agency support process
            definition: >-
              The number of referrals the local multi-agency support panel received in the
              quarter. A count only: no record about anyone referred is held or shown here.
            unit: count
            kind: output
            polarity: neither
            source: Multi-agency support panel quarterly totals (example source).
            caveats:
              - "\(fictitiousNotice)"
              - Neither more nor fewer referrals is better; a change may reflect awareness, not need.
              - Small numbers can identify people in small areas; a publication would suppress counts below 5.
            frequency: quarter
            applies_to: [territorial_force]
        """

    /// The four example indicators. - Throws: `ValidationErrors` (only if the text above is broken).
    public static func indicators() throws -> [Indicator] { try IndicatorCatalogue.read(yaml: yaml) }

    /// The quarters and financial years of the demonstration: financial years
    /// `firstYear`/… for `years` years (2009/10 and 2010/11 by default).
    public static func periods(of frequency: ReportingFrequency, firstYear: Int = 2009, years: Int = 2) -> [ReportingPeriod] {
        guard years > 0, let first = try? ReportingPeriod.financialYear(firstYear) else { return [] }
        let start = ReportingPeriod.containing(first.start, frequency: frequency)
        let count = years * 12 / frequency.months
        return (0..<count).compactMap { ReportingPeriod.at(ordinal: start.ordinal + $0, frequency: frequency) }
    }

    /// Invented values for `indicators` (the examples) for each organisation and period, the
    /// same for the same seed. The latest period's values are provisional, the rest final.
    /// Where `capability` gives an organisation's overall stage (1–5), the outcome rises
    /// loosely with it, so the what-works page has something to show; the noise is large
    /// enough that it is an association, not a rule.
    public static func fictitiousValues(
        indicators: [Indicator], organisations: [String], capability: [String: Int] = [:], firstYear: Int = 2009, years: Int = 2,
        seed: UInt64 = 2009
    ) -> [IndicatorValue] {
        var random = SplitMix64(seed: seed)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        var values: [IndicatorValue] = []
        for indicator in indicators {
            let periods = periods(of: indicator.frequency, firstYear: firstYear, years: years)
            for organisation in organisations {
                let stage = Double(capability[organisation] ?? 3)
                var level: Double
                switch indicator.code {
                case "prevent-isp-partners": level = 30 + 10 * stage + 20 * uniform()
                case "prevent-engagement-staff-rate": level = 0.4 + 2.5 * uniform()
                case "prevent-community-contacts": level = 40 + 20 * stage + 150 * uniform()
                default: level = 2 + 20 * uniform()
                }
                for (index, period) in periods.enumerated() {
                    let value: Double
                    switch indicator.unit {
                    case .percentage:
                        level = min(100, level + 4 * uniform())
                        value = level.rounded()
                    case .count:
                        value = max(0, (level * (0.8 + 0.4 * uniform())).rounded())
                    case .ratePer100000, .ratio:
                        value = (max(0, level + 0.3 * (uniform() - 0.5)) * 10).rounded() / 10
                    }
                    let status: ValueStatus = index == periods.count - 1 ? .provisional : .final
                    values.append(
                        IndicatorValue(
                            key: ValueKey(indicator: indicator.code, organisation: organisation, period: period), value: value,
                            status: status))
                }
            }
        }
        return values
    }
}
