/// What a user does in the inspection regime. Stored by raw value; never renumber.
public enum Role: String, CaseIterable, Codable, Sendable {
    case administrator
    case inspector
    case leadInspector = "lead_inspector"
    case organisationMember = "organisation_member"
    case partner
    case analyst

    public var displayName: String {
        switch self {
        case .administrator: "Administrator"
        case .inspector: "Inspector"
        case .leadInspector: "Lead inspector"
        case .organisationMember: "Organisation member"
        case .partner: "Partner"
        case .analyst: "Analyst"
        }
    }

    /// Members and partners act for one organisation and must have a home organisation.
    public var requiresHomeOrganisation: Bool {
        self == .organisationMember || self == .partner
    }
}
