import Crypto
import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// What a person fills in to share a note or a document.
struct ShareRequest: Sendable {
    var kind: SharedItemKind
    var title: String?
    var summary: String?
    var body: String?
    var marking: String?
    var descriptors: String?
    /// Further need-to-know groups, by id, beyond the group it is shared into.
    var needToKnow: [UUID] = []
    var reviewDate: Date?
    var expires: Date?
    var file: UploadedFile?
}

/// One row of a list: what lists and exports show, never the content.
struct SharedItemSummary: Sendable {
    var id: UUID
    var groupID: UUID
    var groupName: String
    var kind: SharedItemKind
    var title: String
    var summary: String
    var marking: Marking
    var currentVersion: Int
    var createdAt: Date
    var reviewDate: Date?
}

enum SharedItemService {
    static func policy(_ app: Application) -> UploadPolicy {
        UploadPolicy(maximumBytes: app.settings.limits.uploadFile)
    }

    /// A share that passed every check, ready to store.
    struct CheckedShare: Sendable {
        var item: SharedItem
        var needToKnow: Set<UUID>
        var file: UploadedFile?
        var contentType: String
        var groupName: String
    }

    /// Shares a note or a document into a group the reader belongs to: all checked first,
    /// then stored with its audit entry in one transaction.
    static func share(
        _ request: ShareRequest, into group: SharingGroup, membership: GroupMember?, reader: Reader,
        policy: UploadPolicy, caller: Caller, on db: any Database
    ) async throws -> SharedItem {
        let checked = try check(request, into: group, membership: membership, reader: reader, policy: policy)
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            try await store(checked, by: reader.user, at: caller.now, on: tx, audit: audit)
        }
        return checked.item
    }

    /// Everything that can be wrong with a share, named by field; nothing is written.
    static func check(
        _ request: ShareRequest, into group: SharingGroup, membership: GroupMember?, reader: Reader,
        policy: UploadPolicy
    ) throws -> CheckedShare {
        guard membership != nil else { throw DomainError.notFound("group") }
        var errors = ValidationErrors()
        let title = (request.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty {
            errors.add("title", "Enter a title")
        } else if title.count > 200 {
            errors.add("title", "Title must be 200 characters or fewer")
        }
        let marking = reader.checkMarking(request.marking, descriptors: request.descriptors, errors: &errors)
        var contentType = ""
        if request.kind == .document {
            if let file = request.file {
                do { contentType = try policy.check(filename: file.filename, data: file.data) } catch let error as FieldError {
                    errors.add(error.field, error.message)
                }
            } else {
                errors.add("file", "Choose a file to upload")
            }
        } else if (request.body ?? "").isBlank {
            errors.add("body", "Write the note")
        }
        let extra = NeedToKnow.check(request.needToKnow, reader: reader, errors: &errors).subtracting([try group.requireID()])
        if let expires = request.expires, expires <= reader.now { errors.add("expires", "The expiry date must be in the future") }
        try errors.throwIfAny()
        guard let marking else { throw FieldError("marking", "Choose a security marking") }
        let item = SharedItem()
        item.id = UUID()
        item.$group.id = try group.requireID()
        item.kind = request.kind
        item.title = title
        item.summary = (request.summary ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        item.body = request.kind == .note ? request.body?.trimmingCharacters(in: .whitespacesAndNewlines) : nil
        item.markingLevel = marking.level
        item.markingDescriptors = marking.storedDescriptors
        item.reviewDate = request.reviewDate
        item.expiresAt = request.expires
        item.currentVersion = request.kind == .document ? 1 : 0
        item.$createdBy.id = reader.user.id
        item.createdAt = reader.now
        item.updatedAt = reader.now
        item.version = 1
        return CheckedShare(
            item: item, needToKnow: extra, file: request.kind == .document ? request.file : nil,
            contentType: contentType, groupName: group.name)
    }

    /// Stores a checked share inside the caller's audited transaction.
    static func store(_ share: CheckedShare, by user: User, at now: Date, on tx: any Database, audit: AuditLog) async throws {
        let item = share.item
        try await item.create(on: tx)
        let id = try item.requireID()
        try await NeedToKnow.store(share.needToKnow, type: item.kind.recordType, id: id, on: tx)
        if let file = share.file {
            try await storeVersion(of: item, number: 1, file: file, contentType: share.contentType, by: user, at: now, on: tx)
        }
        try await audit.append(
            AuditEvent(
                action: "\(item.kind.rawValue).create", recordType: item.kind.recordType.rawValue,
                recordID: id.uuidString, detail: "\(item.title) [\(item.marking)] in \(share.groupName)"))
    }

    private static func storeVersion(
        of item: SharedItem, number: Int, file: UploadedFile, contentType: String, by user: User, at now: Date,
        on db: any Database
    ) async throws {
        let version = SharedItemVersion()
        version.$item.id = try item.requireID()
        version.number = number
        version.filename = UploadPolicy.safeFilename(file.filename)
        version.contentType = contentType
        version.size = file.data.count
        version.sha256 = Digest.sha256(file.data)
        version.content = file.data
        version.$uploadedBy.id = user.id
        version.uploadedAt = now
        try await version.create(on: db)
    }

    static func record(for item: SharedItem, on db: any Database) async throws -> MarkedRecord {
        let extra = try await NeedToKnow.groups(of: [item.requireID()], on: db)[item.requireID()] ?? []
        return MarkedRecord(marking: item.marking, requiredGroups: extra.union([item.$group.id]), expires: item.expiresAt)
    }

    /// An item the reader may read, recorded as read; anything else is a 404 recorded as
    /// denied. The answer is the same whether or not the item exists.
    static func open(_ id: UUID?, reader: Reader, action: String = "read", caller: Caller, on db: any Database) async throws -> SharedItem {
        guard let id, let item = try await SharedItem.query(on: db).filter(\.$id == id).with(\.$group).first() else {
            try await Audit.record(
                AuditEvent(
                    action: "item.\(action)", recordType: "shared_item", recordID: id?.uuidString ?? "",
                    outcome: .denied, detail: "no such item"), caller: caller, on: db)
            throw DomainError.notFound("item")
        }
        let record = try await record(for: item, on: db)
        let type = item.kind.recordType.rawValue
        guard reader.canRead(record) else {
            try await Audit.record(
                AuditEvent(
                    action: "item.\(action)", recordType: type, recordID: id.uuidString, outcome: .denied,
                    detail: "[\(item.marking)] reader vetting \(reader.vetting.rawValue.uppercased())"), caller: caller, on: db)
            throw DomainError.notFound("item")
        }
        try await Audit.record(
            AuditEvent(
                action: "item.\(action)", recordType: type, recordID: id.uuidString,
                detail: "\(item.title) [\(item.marking)]"), caller: caller, on: db)
        return item
    }

    /// The readable items, newest first, a page at a time (keyset on created_at, id).
    static func list(
        reader: Reader, groupID: UUID? = nil, search: String? = nil, after: Cursor? = nil, limit: Int = 50,
        on db: any Database
    ) async throws -> (items: [SharedItemSummary], next: Cursor?) {
        var conditions: [SQLQueryString] = [ReadableFilter.sharedItems(reader)]
        if let groupID { conditions.append("i.group_id = \(bind: groupID)") }
        if let search = search?.trimmingCharacters(in: .whitespaces).lowercased(), !search.isEmpty {
            conditions.append("(lower(i.title) LIKE \(bind: "%\(search)%") OR lower(i.summary) LIKE \(bind: "%\(search)%"))")
        }
        if let after {
            // Compared with the stored values themselves: a timestamp that went out to the
            // client and back would not compare exactly.
            conditions.append(
                """
                (i.created_at < (SELECT c.created_at FROM shared_items c WHERE c.id = \(bind: after.id))
                 OR (i.created_at = (SELECT c.created_at FROM shared_items c WHERE c.id = \(bind: after.id)) AND i.id < \(bind: after.id)))
                """)
        }
        let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
        let query: SQLQueryString = """
            SELECT i.id, i.group_id, g.name AS group_name, i.kind, i.title, i.summary, i.marking_level, i.marking_descriptors,
                   i.current_version, i.created_at, i.review_date
            FROM shared_items i JOIN groups g ON g.id = i.group_id
            WHERE \(whereClause)
            ORDER BY i.created_at DESC, i.id DESC
            LIMIT \(unsafeRaw: String(limit + 1))
            """
        let rows = try await BulkRead.rows(query, on: db)
        let items = try rows.prefix(limit).map { row in
            SharedItemSummary(
                id: try row.decode(column: "id", as: UUID.self), groupID: try row.decode(column: "group_id", as: UUID.self),
                groupName: try row.decode(column: "group_name", as: String.self),
                kind: SharedItemKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .note,
                title: try row.decode(column: "title", as: String.self), summary: try row.decode(column: "summary", as: String.self),
                marking: Marking(
                    level: try row.decode(column: "marking_level", as: String.self),
                    storedDescriptors: try row.decode(column: "marking_descriptors", as: String.self)),
                currentVersion: try row.decode(column: "current_version", as: Int.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                reviewDate: try row.decode(column: "review_date", as: Date?.self))
        }
        let next = rows.count > limit ? items.last.map { Cursor(id: $0.id) } : nil
        return (items, next)
    }

    /// How many items the reader may read: the same filter, so counts never give anything away.
    static func count(reader: Reader, on db: any Database) async throws -> Int {
        let sql = try db.sql
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM shared_items i WHERE \(ReadableFilter.sharedItems(reader))").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    static func versions(of item: SharedItem, on db: any Database) async throws -> [SharedItemVersion] {
        // Every column but the content: a list of versions never reads the files.
        try await SharedItemVersion.query(on: db).filter(\.$item.$id == item.requireID())
            .field(\.$id).field(\.$item.$id).field(\.$number).field(\.$filename).field(\.$contentType).field(\.$size)
            .field(\.$sha256).field(\.$uploadedBy.$id).field(\.$uploadedAt)
            .sort(\.$number, .descending).with(\.$uploadedBy).all()
    }

    /// A new version of a document, by any member who can read it.
    static func addVersion(
        _ file: UploadedFile?, to item: SharedItem, reader: Reader, policy: UploadPolicy,
        caller: Caller, on db: any Database
    ) async throws -> SharedItem {
        guard item.kind == .document else { throw FieldError("file", "A note has no files; share a document instead") }
        guard let file else { throw FieldError("file", "Choose a file to upload") }
        let contentType: String
        do { contentType = try policy.check(filename: file.filename, data: file.data) } catch let error as FieldError {
            throw FieldError(error.field, error.message)
        }
        let number = item.currentVersion + 1
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            let now = caller.now
            try await storeVersion(of: item, number: number, file: file, contentType: contentType, by: reader.user, at: now, on: tx)
            try await SharedItem.query(on: tx).filter(\.$id == item.requireID())
                .set(\.$currentVersion, to: number).set(\.$updatedAt, to: now).set(\.$version, to: item.version + 1).update()
            try await audit.append(
                AuditEvent(
                    action: "document.version", recordType: item.kind.recordType.rawValue,
                    recordID: try item.requireID().uuidString, detail: "version \(number): \(UploadPolicy.safeFilename(file.filename))"))
        }
        item.currentVersion = number
        item.version += 1
        return item
    }

    /// The bytes of one version; opening the item has already checked and recorded access.
    static func content(of item: SharedItem, number: Int?, on db: any Database) async throws -> SharedItemVersion {
        guard let number,
            let version = try await SharedItemVersion.query(on: db).filter(\.$item.$id == item.requireID())
                .filter(\.$number == number).first()
        else { throw DomainError.notFound("version") }
        return version
    }

    /// Raises or lowers a marking, with the reason, by the person who shared it or an owner
    /// of its group.
    static func changeMarking(
        of item: SharedItem, to level: String?, descriptors: String?, reason: String?, confirmedDowngrade: Bool = false,
        expectedVersion: Int?,
        reader: Reader, caller: Caller, on db: any Database
    ) async throws -> SharedItem {
        let isOwner =
            try await GroupMember.query(on: db).filter(\.$group.$id == item.$group.id)
            .filter(\.$user.$id == reader.user.requireID()).filter(\.$owner == true).count() > 0
        guard isOwner || item.$createdBy.id == reader.user.id else {
            try await Audit.record(
                AuditEvent(
                    action: "marking.change", recordType: item.kind.recordType.rawValue, recordID: try item.requireID().uuidString,
                    outcome: .denied, detail: "neither the author nor an owner"), caller: caller, on: db)
            throw DomainError.forbidden(
                reason: "Only the person who shared it or an owner of the group may change its marking", field: "marking")
        }
        // A change made from an out-of-date view is told so first: what it would downgrade
        // may no longer be the marking.
        if let expectedVersion, expectedVersion != item.version { throw DomainError.stale(current: item) }
        var errors = ValidationErrors()
        let marking = reader.checkMarking(level, descriptors: descriptors, errors: &errors)
        let why = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if why.isEmpty { errors.add("reason", "Give the reason for changing the marking") }
        if marking == item.marking { errors.add("marking", "The item is already marked \(item.marking)") }
        try errors.throwIfAny()
        guard let marking else { throw FieldError("marking", "Choose a security marking") }
        let from = item.marking
        if let refusal = reader.scheme.downgradeRefusal(from: from, to: marking, confirmed: confirmedDowngrade) { throw refusal }
        let applied = try await Audit.transaction(on: db, caller: caller) { tx, audit in
            guard
                try await VersionedUpdate.apply(
                    table: SharedItem.schema, id: item.requireID(), expectedVersion: expectedVersion ?? item.version,
                    values: [("marking_level", marking.level), ("marking_descriptors", marking.storedDescriptors)],
                    at: caller.now, on: tx)
            else {
                return false
            }
            let change = MarkingChange()
            change.recordType = item.kind.recordType.rawValue
            change.recordID = try item.requireID()
            change.fromMarking = from.description
            change.toMarking = marking.description
            change.reason = why
            change.$changedBy.id = reader.user.id
            change.changedAt = caller.now
            try await change.create(on: tx)
            try await audit.append(
                AuditEvent(
                    action: "marking.change", recordType: change.recordType, recordID: change.recordID.uuidString,
                    detail: "from \(from) to \(marking): \(why)"))
            return true
        }
        guard let fresh = try await SharedItem.query(on: db).filter(\.$id == item.requireID()).with(\.$group).first() else {
            throw DomainError.notFound("item")
        }
        if !applied { throw DomainError.stale(current: fresh) }
        return fresh
    }

    static func markingHistory(of item: SharedItem, on db: any Database) async throws -> [MarkingChange] {
        try await MarkingChange.query(on: db).filter(\.$recordID == item.requireID()).with(\.$changedBy).sort(\.$changedAt, .descending)
            .all()
    }
}
