import Foundation

/// Who is asking: the facts about a signed-in user that every access decision needs.
public struct Principal: Equatable, Sendable {
    public var userID: UUID
    public var role: Role
    public var homeOrganisationID: UUID?
    public var vetting: Vetting

    public init(userID: UUID, role: Role, homeOrganisationID: UUID?, vetting: Vetting) {
        self.userID = userID
        self.role = role
        self.homeOrganisationID = homeOrganisationID
        self.vetting = vetting
    }
}
