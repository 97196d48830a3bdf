/// Stored by raw value; never rename a case's raw value.
public enum OrganisationKind: String, CaseIterable, Codable, Sendable {
    case territorialForce = "territorial_force"
    case specialForce = "special_force"
    case nationalAgency = "national_agency"
    case partnerBody = "partner_body"

    public var displayName: String {
        switch self {
        case .territorialForce: "Territorial force"
        case .specialForce: "Special force"
        case .nationalAgency: "National agency"
        case .partnerBody: "Partner body"
        }
    }
}

/// Home Office statistical regions, plus the names some publications use for them.
public enum Region {
    public static let all = [
        "North East", "North West", "Yorkshire and the Humber", "East Midlands",
        "West Midlands", "East of England", "London", "South East", "South West", "Wales",
        "Northern Ireland", "National",
    ]

    /// Region names as they appear in source files, mapped to the canonical name.
    static let aliases: [String: String] = [
        "eastern": "East of England",
        "yorkshire & the humber": "Yorkshire and the Humber",
        "yorkshire and humber": "Yorkshire and the Humber",
    ]

    /// The canonical region for a name as written in a file, if it is one.
    public static func canonical(_ raw: String) -> String? {
        let key = NameKey.make(raw)
        if let alias = aliases[raw.lowercased().trimmingCharacters(in: .whitespaces)] { return alias }
        return all.first { NameKey.make($0) == key }
    }

    public static let countries = ["England", "Wales", "Scotland", "Northern Ireland", "Great Britain", "United Kingdom"]
}
