import Fluent
import Vapor
import InspectorateCore

final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "role") var role: Role
    @OptionalParent(key: "organisation_id") var organisation: Organisation?
    @Field(key: "active") var active: Bool
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "vetting_level") var vettingLevel: VettingLevel
    @OptionalField(key: "vetting_granted") var vettingGranted: Date?
    @OptionalField(key: "vetting_expires") var vettingExpires: Date?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(email: String, displayName: String, role: Role, organisationID: UUID?, passwordHash: String,
         vetting: Vetting = Vetting(level: .none, granted: nil, expires: nil)) {
        self.email = email
        self.displayName = displayName
        self.role = role
        self.$organisation.id = organisationID
        self.active = true
        self.passwordHash = passwordHash
        self.vettingLevel = vetting.level
        self.vettingGranted = vetting.granted
        self.vettingExpires = vetting.expires
        self.version = 1
    }

    var vetting: Vetting { Vetting(level: vettingLevel, granted: vettingGranted, expires: vettingExpires) }

    var principal: Principal {
        Principal(userID: id!, role: role, homeOrganisationID: $organisation.id, vetting: vetting)
    }
}
