import Foundation

/// A national body a recommendation can be addressed to, for the registry: the 2009 report
/// addressed the Home Office and the police service's national body, which the shipped
/// organisations do not include. The application adds any that are missing.
public struct NationalBody: Equatable, Sendable {
    public var code: String
    public var name: String
    public var kind: OrganisationKind
    public var aliases: [String]
    public var note: String
}

/// One of the report's recommendations, as shipped.
public struct ShippedRecommendation: Equatable, Sendable {
    public var reference: RecommendationReference
    /// In our words, not the report's: the press release lists the recommendations in brief.
    public var text: String
    public var addressees: [String]
    public var due: CivilDate
    /// Whether the report gives the date. When it does not, `dueNote` says where the date
    /// comes from; it is changed like any due date, with a reason.
    public var dueGivenByReport: Bool
    public var dueNote: String
    /// Criterion codes of `Prevent2009.framework`.
    public var criteria: [String]
    public var dependsOnAnotherBody: Bool
    /// Its status is derived from results (`MinimumCapabilityStatus`), not typed.
    public var statusIsDerived: Bool
}

/// The six recommendations of HMIC's *Prevent – Progress and Prospects* (24 June 2009), as
/// the national recommendations of that inspection. These are the real report's
/// recommendations, summarised in our own words from HMIC's press release of the day
/// (`shared/reference/hmic-prevent-press-release-2009.txt`); the demonstration cycle's
/// judgements stay labelled fictitious. Addressees follow what the report implies:
/// funding and national mechanisms to the Home Office, what forces should do to the police
/// service's national body (ACPO in 2009), minimum capability to all 43 forces. The vetting
/// guidelines depend on another body: national security vetting is the Cabinet Office's
/// policy (DOMAIN.md, Security vetting).
public enum Prevent2009 {
    public static let source = "HMIC, Prevent – Progress and Prospects, 24 June 2009 (press release of the same day)"
    public static let label =
        "Recommendations of the real 2009 report (HMIC, Prevent – Progress and Prospects, 24 June 2009), in our own words"
    /// The cycle the report's recommendations are filed under.
    public static let cycle = "prevent-2009"
    public static let title = "Prevent – Progress and Prospects (2009)"
    /// The framework whose criteria the recommendations link to.
    public static let framework = "police-prevent@2009.1"
    public static let published = CivilDate.known(2009, 6, 24)
    /// "Police Service to define what forces should be doing … by September 2009".
    public static let riskLevelDeadline = CivilDate.known(2009, 9, 30)
    /// "All forces to ensure appropriate minimum levels of capability in place by March 2010".
    public static let minimumCapabilityDeadline = CivilDate.known(2010, 3, 31)
    /// The recommendation whose status is derived from results.
    public static let minimumCapabilityNumber = 4

    public static let homeOffice = "home-office"
    public static let policeNationalBody = "acpo"

    public static let nationalBodies: [NationalBody] = [
        NationalBody(
            code: homeOffice, name: "Home Office", kind: .nationalAgency,
            aliases: ["HO", "Office for Security and Counter-Terrorism", "OSCT"],
            note:
                "Government department responsible for the Prevent strategy and its funding (through its Office for Security and Counter-Terrorism)."
        ),
        NationalBody(
            code: policeNationalBody, name: "Association of Chief Police Officers", kind: .nationalAgency, aliases: ["ACPO"],
            note: "The police service's national body in 2009, author of the police Prevent strategy and delivery plan (April 2008); "
                + "succeeded by the National Police Chiefs' Council in 2015."),
    ]

    /// The 43 territorial forces of England and Wales, by their codes in the shipped registry.
    public static let territorialForces = [
        "avon-and-somerset", "bedfordshire", "cambridgeshire", "cheshire", "city-of-london", "cleveland", "cumbria", "derbyshire",
        "devon-and-cornwall", "dorset", "durham", "dyfed-powys", "essex", "gloucestershire", "greater-manchester", "gwent", "hampshire",
        "hertfordshire", "humberside", "kent", "lancashire", "leicestershire", "lincolnshire", "merseyside", "metropolitan", "norfolk",
        "north-wales", "north-yorkshire", "northamptonshire", "northumbria", "nottinghamshire", "south-wales", "south-yorkshire",
        "staffordshire", "suffolk", "surrey", "sussex", "thames-valley", "warwickshire", "west-mercia", "west-midlands", "west-yorkshire",
        "wiltshire",
    ]

    static let noDateNote =
        "The report gives no date for this recommendation; the tracker uses its last deadline, 31 March 2010, until another is agreed."

    /// The six, in the press release's order.
    public static var recommendations: [ShippedRecommendation] {
        let national = [homeOffice, policeNationalBody]
        return [
            item(
                1,
                "Direct additional funding, resources and support to the force areas at highest risk from violent extremism, so that the public is kept as safe as possible.",
                [homeOffice], criteria: ["local-risk-analysis", "staff-roles"]),
            item(
                2,
                "Build the understanding, across police and partners, of what can be done to stop vulnerable people becoming terrorists, and share it.",
                national, criteria: ["performance-evaluation", "support-interventions"]),
            item(
                3, "Define what each force should be doing about Prevent according to its level of risk from violent extremism.",
                [policeNationalBody], due: riskLevelDeadline, criteria: ["local-risk-ctlp", "local-risk-analysis", "leadership-plan"]),
            item(
                minimumCapabilityNumber, "Every force to have appropriate minimum levels of Prevent capability in place.",
                territorialForces, due: minimumCapabilityDeadline, criteria: allCriteria, derived: true),
            item(
                5,
                "Issue guidelines on the use of vetting so that security information can be shared more widely with partners, in the interests of public safety.",
                national, criteria: ["sharing-vetting", "sharing-protocols"], dependsOnAnotherBody: true),
            item(
                6,
                "Establish ways of measuring the success of Prevent activity, so that the public can be assured that change has been made.",
                national, criteria: ["performance-measures", "performance-evaluation"]),
        ].compactMap { $0 }
    }

    /// Every criterion of `framework`: minimum capability concerns them all.
    static let allCriteria = [
        "leadership-ownership", "leadership-plan", "local-risk-ctlp", "local-risk-analysis", "engagement-reach", "engagement-tension",
        "partnership-structures", "partnership-ni35", "staff-roles", "staff-training", "sharing-protocols", "sharing-vetting",
        "support-pathways", "support-interventions", "mainstreaming-neighbourhood", "performance-measures", "performance-evaluation",
    ]

    private static func item(
        _ number: Int, _ text: String, _ addressees: [String], due: CivilDate? = nil, criteria: [String],
        dependsOnAnotherBody: Bool = false,
        derived: Bool = false
    ) -> ShippedRecommendation? {
        guard let reference = try? RecommendationReference(cycle: cycle, scope: .national, number: number) else { return nil }
        return ShippedRecommendation(
            reference: reference, text: text, addressees: addressees, due: due ?? minimumCapabilityDeadline, dueGivenByReport: due != nil,
            dueNote: due != nil ? "Given by the report." : noDateNote, criteria: criteria, dependsOnAnotherBody: dependsOnAnotherBody,
            statusIsDerived: derived)
    }

    /// The shipped recommendations as `Recommendation`s, published on the report's day,
    /// with `marking` (the deployment's marking for published text). The due dates are set
    /// at `loadedAt` by nobody (shipped data), with the note saying where each came from.
    public static func load(marking: Marking, loadedAt: Date) -> [Recommendation] {
        recommendations.map { item in
            Recommendation(
                reference: item.reference, text: item.text, addressees: item.addressees, priority: false,
                due: DueDateHistory(item.due, setAt: loadedAt, setBy: nil, note: item.dueNote), criteria: item.criteria,
                dependsOnAnotherBody: item.dependsOnAnotherBody, finding: nil, author: nil, publishedOn: published, marking: marking)
        }
    }
}

extension CivilDate {
    /// A date written in the source as a literal known to be real; 1970-01-01 should one not be.
    static func known(_ year: Int, _ month: Int, _ day: Int) -> CivilDate {
        (try? CivilDate(year: year, month: month, day: day)) ?? CivilDate(containing: Date(timeIntervalSince1970: 0), in: .utc)
    }
}
