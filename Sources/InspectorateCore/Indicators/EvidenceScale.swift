/// The Maryland Scientific Methods Scale: how strongly a study's design can support a claim
/// that something works, from 1 (weakest) to 5. Wording after Sherman et al., *Preventing
/// Crime: What Works, What Doesn't, What's Promising* (1997), as the College of Policing's
/// crime reduction toolkit uses it (DOMAIN.md, Indicators and evidence).
public enum MarylandLevel: Int, CaseIterable, Codable, Sendable, Comparable {
    case correlation = 1
    case beforeAndAfter = 2
    case comparisonGroup = 3
    case controlledComparison = 4
    case randomised = 5

    /// The design at this level, in a sentence.
    public var design: String {
        switch self {
        case .correlation: "A correlation between a programme and an outcome at one point in time."
        case .beforeAndAfter: "The outcome measured before and after the programme, with no comparable group without it."
        case .comparisonGroup: "Before and after, in places with the programme and comparable places without it."
        case .controlledComparison: "Several places with and without the programme, with other differences between them controlled for."
        case .randomised: "Places or people assigned at random to receive the programme or not."
        }
    }

    public static func < (lhs: MarylandLevel, rhs: MarylandLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What the page says about the strength of the "what works" evidence. The statements are
/// meant to be printed beside the figures, not in a footnote (issue 13).
public enum WhatWorksEvidence {
    /// A correlation across organisations at one time is at best level 1 (DOMAIN.md).
    /// Change against change over two cycles is still a correlation across organisations,
    /// with no comparison group and nothing held constant, so it is not rated higher.
    public static let level = MarylandLevel.correlation

    /// Fewer organisations than this with both figures and only the data are shown.
    public static let minimumOrganisations = 10

    /// For the page, beside the correlation.
    public static let statement =
        "This is an association across organisations at one point in time: level 1 of 5 on the Maryland Scientific Methods Scale, "
        + "the weakest kind of evidence that something works. It says nothing about cause: organisations with higher capability "
        + "may differ in other ways (size, funding, local need) that drive the outcome, and the outcome may drive capability."

    /// For the page, beside a change-against-change correlation.
    public static let changeStatement =
        "This compares how capability and the outcome changed between two cycles in the same organisations. It is still an "
        + "association across organisations (level 1 of 5 on the Maryland Scientific Methods Scale): there is no comparison "
        + "group and nothing else is held constant, so it says nothing about cause."

    /// For the page when fewer than `minimumOrganisations` have both figures.
    public static func tooFewStatement(n: Int) -> String {
        "Only \(n) organisation\(n == 1 ? " has" : "s have") both figures. With fewer than \(minimumOrganisations) a correlation "
            + "would mean almost nothing, so none is shown: here are the data."
    }
}
