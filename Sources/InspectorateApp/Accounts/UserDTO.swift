import InspectorateCore
import Vapor

struct UserDTO: Content {
    var id: UUID
    var email: String
    var displayName: String
    var role: Role
    var organisation: String?
    var active: Bool
    var vettingLevel: VettingLevel
    var vettingGranted: Date?
    var vettingExpires: Date?
    /// What the vetting amounts to now: `none` once expired.
    var vettingInForce: VettingLevel
    /// The vetting authority's reference for the grant, and the id of whoever recorded it
    /// (absent: the operator at the command line).
    var vettingReference: String
    var vettingGrantedBy: UUID?
    var version: Int

    enum CodingKeys: String, CodingKey {
        case id, email, role, organisation, active, version
        case displayName = "display_name"
        case vettingLevel = "vetting_level"
        case vettingGranted = "vetting_granted"
        case vettingExpires = "vetting_expires"
        case vettingInForce = "vetting_in_force"
        case vettingReference = "vetting_reference"
        case vettingGrantedBy = "vetting_granted_by"
    }

    init(_ user: User, now: Date) throws {
        id = try user.requireID()
        email = user.email
        displayName = user.displayName
        role = user.role
        organisation = user.$organisation.value??.code
        active = user.active
        vettingLevel = user.vettingLevel
        vettingGranted = user.vettingGranted
        vettingExpires = user.vettingExpires
        vettingInForce = user.vetting.effectiveLevel(at: now)
        vettingReference = user.vettingReference
        vettingGrantedBy = user.vettingGrantedBy
        version = user.version
    }
}

extension User: StalePresentable {
    func presentation(for reader: Reader?, at now: Date) -> any Encodable & Sendable {
        (try? UserDTO(self, now: now)).map { $0 as any Encodable & Sendable } ?? [String: String]()
    }
}
