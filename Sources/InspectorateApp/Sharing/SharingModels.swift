import Fluent
import InspectorateCore
import Vapor

/// A sharing space: people from any organisation, police or partner, who share information.
final class SharingGroup: Model, @unchecked Sendable {
    static let schema = "groups"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "description") var description: String
    @OptionalParent(key: "created_by") var createdBy: User?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "version") var version: Int

    init() {}
}

final class GroupMember: Model, @unchecked Sendable {
    static let schema = "group_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "group_id") var group: SharingGroup
    @Parent(key: "user_id") var user: User
    @Field(key: "owner") var owner: Bool
    @OptionalParent(key: "added_by") var addedBy: User?
    @Field(key: "added_at") var addedAt: Date

    init() {}
}

enum SharedItemKind: String, Codable, Sendable {
    case note
    case document

    var recordType: RecordType { self == .note ? .sharedNote : .sharedDocument }
}

/// A document or note in a group. Its file content lives in `SharedItemVersion`, which
/// lists never load.
final class SharedItem: Model, @unchecked Sendable {
    static let schema = "shared_items"

    @ID(key: .id) var id: UUID?
    @Parent(key: "group_id") var group: SharingGroup
    @Field(key: "kind") var kind: SharedItemKind
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    @OptionalField(key: "body") var body: String?
    @Field(key: "marking_level") var markingLevel: String
    @Field(key: "marking_descriptors") var markingDescriptors: String
    @OptionalField(key: "review_date") var reviewDate: Date?
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @Field(key: "current_version") var currentVersion: Int
    @OptionalParent(key: "created_by") var createdBy: User?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "version") var version: Int

    init() {}

    var marking: Marking {
        Marking(level: markingLevel, storedDescriptors: markingDescriptors)
    }
}

final class SharedItemVersion: Model, @unchecked Sendable {
    static let schema = "shared_item_versions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "item_id") var item: SharedItem
    @Field(key: "number") var number: Int
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "content") var content: Data
    @OptionalParent(key: "uploaded_by") var uploadedBy: User?
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
}

/// A further need-to-know group of a marked record: readers must belong to all of them.
final class RecordGroup: Model, @unchecked Sendable {
    static let schema = "record_groups"

    @ID(key: .id) var id: UUID?
    @Field(key: "record_type") var recordType: String
    @Field(key: "record_id") var recordID: UUID
    @Parent(key: "group_id") var group: SharingGroup

    init() {}

    init(recordType: RecordType, recordID: UUID, groupID: UUID) {
        self.recordType = recordType.rawValue
        self.recordID = recordID
        self.$group.id = groupID
    }
}

/// A marking raised or lowered, with the reason.
final class MarkingChange: Model, @unchecked Sendable {
    static let schema = "marking_changes"

    @ID(key: .id) var id: UUID?
    @Field(key: "record_type") var recordType: String
    @Field(key: "record_id") var recordID: UUID
    @Field(key: "from_marking") var fromMarking: String
    @Field(key: "to_marking") var toMarking: String
    @Field(key: "reason") var reason: String
    @OptionalParent(key: "changed_by") var changedBy: User?
    @Field(key: "changed_at") var changedAt: Date

    init() {}
}
