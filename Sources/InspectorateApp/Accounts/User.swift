import Fluent
import InspectorateCore
import SQLKit
import Vapor

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
    /// The vetting authority's reference for the grant in force, and who recorded it (nil:
    /// the operator at the command line).
    @Field(key: "vetting_reference") var vettingReference: String
    @OptionalField(key: "vetting_granted_by") var vettingGrantedBy: UUID?
    @Field(key: "version") var version: Int
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    init() {}

    init(
        email: String, displayName: String, role: Role, organisationID: UUID?, passwordHash: String,
        vetting: Vetting = Vetting(level: .none, granted: nil, expires: nil)
    ) {
        self.email = email
        self.displayName = displayName
        self.role = role
        self.$organisation.id = organisationID
        self.active = true
        self.passwordHash = passwordHash
        self.vettingLevel = vetting.level
        self.vettingGranted = vetting.granted
        self.vettingExpires = vetting.expires
        self.vettingReference = ""
        self.version = 1
    }

    /// The stored columns, for queries that read users without Fluent.
    static let columns = [
        "id", "email", "display_name", "role", "organisation_id", "active", "password_hash",
        "vetting_level", "vetting_granted", "vetting_expires", "vetting_reference", "vetting_granted_by", "version", "created_at",
        "updated_at",
    ]

    /// From a bulk-read row holding `columns`.
    convenience init(row: any SQLRow) throws {
        self.init(try UserSnapshot(row: row))
    }

    convenience init(_ snapshot: UserSnapshot) {
        self.init()
        id = snapshot.id
        email = snapshot.email
        displayName = snapshot.displayName
        role = snapshot.role
        $organisation.id = snapshot.organisationID
        active = snapshot.active
        passwordHash = snapshot.passwordHash
        vettingLevel = snapshot.vettingLevel
        vettingGranted = snapshot.vettingGranted
        vettingExpires = snapshot.vettingExpires
        vettingReference = snapshot.vettingReference
        vettingGrantedBy = snapshot.vettingGrantedBy
        version = snapshot.version
        createdAt = snapshot.createdAt
        updatedAt = snapshot.updatedAt
        $id.exists = true
    }

    var vetting: Vetting { Vetting(level: vettingLevel, granted: vettingGranted, expires: vettingExpires) }

    var principal: Principal {
        get throws { Principal(userID: try requireID(), role: role, homeOrganisationID: $organisation.id, vetting: vetting) }
    }
}

/// A user's row as plain values: what the read cache keeps, so that a request gets its own
/// `User` without decoding the row again.
struct UserSnapshot: Sendable {
    var id: UUID
    var email: String
    var displayName: String
    var role: Role
    var organisationID: UUID?
    var active: Bool
    var passwordHash: String
    var vettingLevel: VettingLevel
    var vettingGranted: Date?
    var vettingExpires: Date?
    var vettingReference: String
    var vettingGrantedBy: UUID?
    var version: Int
    var createdAt: Date?
    var updatedAt: Date?

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        email = try row.decode(column: "email", as: String.self)
        displayName = try row.decode(column: "display_name", as: String.self)
        role = try row.decode(column: "role", as: Role.self)
        organisationID = try row.decode(column: "organisation_id", as: UUID?.self)
        active = try row.decode(column: "active", as: Bool.self)
        passwordHash = try row.decode(column: "password_hash", as: String.self)
        vettingLevel = try row.decode(column: "vetting_level", as: VettingLevel.self)
        vettingGranted = try row.decode(column: "vetting_granted", as: Date?.self)
        vettingExpires = try row.decode(column: "vetting_expires", as: Date?.self)
        vettingReference = try row.decode(column: "vetting_reference", as: String.self)
        vettingGrantedBy = try row.decode(column: "vetting_granted_by", as: UUID?.self)
        version = try row.decode(column: "version", as: Int.self)
        createdAt = try row.decode(column: "created_at", as: Date?.self)
        updatedAt = try row.decode(column: "updated_at", as: Date?.self)
    }
}
