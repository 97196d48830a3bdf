/// A permission a whole route needs, named so that routes can be tagged with it and tests
/// can walk every route for every role. Each is one of `AccessRule`'s decisions.
public enum Permission: String, CaseIterable, Sendable {
    case manageUsers
    case manageReferenceData
    case registerPartners
    case createCycles
    case grade
    case readAudit

    /// Whether `principal` holds this permission.
    public func allows(_ principal: Principal) -> Bool {
        switch self {
        case .manageUsers: AccessRule.canManageUsers(principal)
        case .manageReferenceData: AccessRule.canManageReferenceData(principal)
        case .registerPartners: AccessRule.canRegisterPartners(principal)
        case .createCycles: AccessRule.canCreateCycles(principal)
        case .grade: AccessRule.canGrade(principal)
        case .readAudit: AccessRule.canReadAudit(principal)
        }
    }
}
