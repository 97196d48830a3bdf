import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// Groups and their members, shared by the pages, the API and `inspectorate group …`.
enum GroupService {
    struct Summary: Sendable {
        var group: SharingGroup
        var members: Int
        var isOwner: Bool
    }

    /// The groups `user` belongs to (administrators see every group, to look after them).
    static func list(for user: User, on db: any Database) async throws -> [Summary] {
        let userID = try user.requireID()
        let mine = try await GroupMember.query(on: db).filter(\.$user.$id == userID).all()
        let owned = Set(mine.filter(\.owner).map { $0.$group.id })
        var query = SharingGroup.query(on: db).sort(\.$name)
        if user.role != .administrator { query = query.filter(\.$id ~~ mine.map { $0.$group.id }) }
        let groups = try await query.all()
        let counts = try await GroupMember.query(on: db).filter(\.$group.$id ~~ groups.compactMap(\.id)).all()
            .reduce(into: [UUID: Int]()) { $0[$1.$group.id, default: 0] += 1 }
        return try groups.map { group in
            let id = try group.requireID()
            return Summary(group: group, members: counts[id] ?? 0, isOwner: owned.contains(id))
        }
    }

    /// A group `user` may see: 404 for everyone else, whether or not it exists.
    static func find(_ id: UUID?, for user: User, on db: any Database) async throws -> (SharingGroup, GroupMember?) {
        guard let id, let group = try await SharingGroup.find(id, on: db) else { throw DomainError.notFound("group") }
        let membership = try await GroupMember.query(on: db).filter(\.$group.$id == id).filter(\.$user.$id == user.requireID()).first()
        guard membership != nil || user.role == .administrator else { throw DomainError.notFound("group") }
        return (group, membership)
    }

    static func members(of group: SharingGroup, on db: any Database) async throws -> [GroupMember] {
        try await GroupMember.query(on: db).filter(\.$group.$id == group.requireID())
            .with(\.$user) { $0.with(\.$organisation) }.all()
            .sorted { ($0.owner ? 0 : 1, $0.user.displayName) < ($1.owner ? 0 : 1, $1.user.displayName) }
    }

    /// Anyone may start a group, and becomes its first owner.
    static func create(
        name rawName: String?, description: String?, by user: User, caller: Caller, on db: any Database
    ) async throws -> SharingGroup {
        let name = (rawName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = ValidationErrors()
        if name.isEmpty {
            errors.add("name", "Enter a name for the group")
        } else if name.count > 200 {
            errors.add("name", "Name must be 200 characters or fewer")
        }
        try errors.throwIfAny()
        if try await SharingGroup.query(on: db).filter(\.$name == name).count() > 0 {
            throw DomainError.conflict(field: "name", message: "A group called \(name) already exists")
        }
        let group = SharingGroup()
        group.name = name
        group.description = (description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        group.$createdBy.id = user.id
        group.createdAt = caller.now
        group.version = 1
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            try await group.create(on: tx)
            try await addRow(group: group.requireID(), user: user.requireID(), owner: true, by: user.id, at: caller.now, on: tx)
            try await audit.append(
                AuditEvent(action: "group.create", recordType: "group", recordID: try group.requireID().uuidString, detail: name))
        }
        return group
    }

    private static func addRow(group: UUID, user: UUID, owner: Bool, by: UUID?, at now: Date, on db: any Database) async throws {
        let member = GroupMember()
        member.$group.id = group
        member.$user.id = user
        member.owner = owner
        member.$addedBy.id = by
        member.addedAt = now
        try await member.create(on: db)
    }

    /// Owners add people from any organisation, police or partner.
    static func addMember(
        email rawEmail: String?, owner: Bool, to group: SharingGroup, membership: GroupMember?,
        by user: User, caller: Caller, on db: any Database
    ) async throws -> GroupMember {
        try await requireOwner(membership, group: group, caller: caller, on: db)
        let email = EmailAddress.normalise(rawEmail ?? "")
        if email.isEmpty { throw FieldError("email", "Enter the e-mail address of the person to add") }
        guard let member = try await UserService.find(email: email, on: db), member.active else {
            throw FieldError("email", "No active account has the e-mail address \(email)")
        }
        let groupID = try group.requireID()
        if try await GroupMember.query(on: db).filter(\.$group.$id == groupID).filter(\.$user.$id == member.requireID()).count() > 0 {
            throw DomainError.conflict(field: "email", message: "\(email) is already a member of \(group.name)")
        }
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            try await addRow(group: groupID, user: member.requireID(), owner: owner, by: user.id, at: caller.now, on: tx)
            try await audit.append(
                AuditEvent(
                    action: "group.member.add", recordType: "group", recordID: groupID.uuidString,
                    organisationID: member.$organisation.id,
                    detail: "\(email) added\(owner ? " as an owner" : "") to \(group.name)"))
        }
        guard
            let added = try await GroupMember.query(on: db).filter(\.$group.$id == groupID).filter(\.$user.$id == member.requireID())
                .with(\.$user).first()
        else { throw DomainError.notFound("member") }
        return added
    }

    static func removeMember(
        userID: UUID?, from group: SharingGroup, membership: GroupMember?,
        caller: Caller, on db: any Database
    ) async throws {
        try await requireOwner(membership, group: group, caller: caller, on: db)
        let groupID = try group.requireID()
        guard let userID,
            let row = try await GroupMember.query(on: db).filter(\.$group.$id == groupID)
                .filter(\.$user.$id == userID).with(\.$user).first()
        else { throw DomainError.notFound("member") }
        if row.owner, try await GroupMember.query(on: db).filter(\.$group.$id == groupID).filter(\.$owner == true).count() == 1 {
            throw DomainError.conflict(field: "user", message: "\(row.user.email) is the group's only owner: add another owner first")
        }
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            try await GroupMember.query(on: tx).filter(\.$id == row.requireID()).delete()
            try await audit.append(
                AuditEvent(
                    action: "group.member.remove", recordType: "group", recordID: groupID.uuidString,
                    organisationID: row.user.$organisation.id, detail: "\(row.user.email) removed from \(group.name)"))
        }
    }

    /// Members who are not owners see the group but may not change who is in it.
    private static func requireOwner(_ membership: GroupMember?, group: SharingGroup, caller: Caller, on db: any Database) async throws {
        guard membership?.owner == true else {
            try await Audit.record(
                AuditEvent(
                    action: "group.members.change", recordType: "group", recordID: group.id?.uuidString ?? "",
                    outcome: .denied, detail: "not an owner of \(group.name)"), caller: caller, on: db)
            throw DomainError.forbidden(reason: "Only the owners of \(group.name) may change its members", field: "email")
        }
    }
}
