import InspectorateCore
import Vapor

struct MarkingDTO: Content {
    var level: String
    var descriptors: [String]
    /// As it is shown in banners and file names: "OFFICIAL-SENSITIVE PERSONAL".
    var label: String

    init(_ marking: Marking) {
        level = marking.level
        descriptors = marking.descriptors
        label = marking.description
    }
}

struct GroupDTO: Content {
    var id: UUID
    var name: String
    var description: String
    var members: Int?
    var is_owner: Bool?

    init(_ summary: GroupService.Summary) throws {
        id = try summary.group.requireID()
        name = summary.group.name
        description = summary.group.description
        members = summary.members
        is_owner = summary.isOwner
    }

    init(_ group: SharingGroup) throws {
        id = try group.requireID()
        name = group.name
        description = group.description
    }
}

struct MemberDTO: Content {
    var user_id: UUID
    var email: String
    var display_name: String
    var organisation: String?
    var owner: Bool

    init(_ member: GroupMember) {
        user_id = member.$user.id
        email = member.user.email
        display_name = member.user.displayName
        organisation = member.user.organisation?.code
        owner = member.owner
    }
}

struct SharedItemDTO: Content {
    var id: UUID
    var group_id: UUID
    var kind: String
    var title: String
    var summary: String
    var body: String?
    var marking: MarkingDTO
    var current_version: Int
    var review_date: Date?
    var expires: Date?
    var created_at: Date
    var version: Int

    init(_ item: SharedItem) throws {
        id = try item.requireID()
        group_id = item.$group.id
        kind = item.kind.rawValue
        title = item.title
        summary = item.summary
        body = item.body
        marking = MarkingDTO(item.marking)
        current_version = item.currentVersion
        review_date = item.reviewDate
        expires = item.expiresAt
        created_at = item.createdAt
        version = item.version
    }
}

struct SharedItemSummaryDTO: Content {
    var id: UUID
    var group_id: UUID
    var group: String
    var kind: String
    var title: String
    var summary: String
    var marking: MarkingDTO
    var current_version: Int
    var created_at: Date

    init(_ item: SharedItemSummary) {
        id = item.id
        group_id = item.groupID
        group = item.groupName
        kind = item.kind.rawValue
        title = item.title
        summary = item.summary
        marking = MarkingDTO(item.marking)
        current_version = item.currentVersion
        created_at = item.createdAt
    }
}

struct FileVersionDTO: Content {
    var number: Int
    var filename: String
    var content_type: String
    var size: Int
    var sha256: String
    var uploaded_at: Date

    init(_ version: SharedItemVersion) {
        number = version.number
        filename = version.filename
        content_type = version.contentType
        size = version.size
        sha256 = version.sha256
        uploaded_at = version.uploadedAt
    }
}

struct MarkingSchemeDTO: Content {
    struct Level: Content {
        var code: String
        var name: String
        var description: String
        var minimum_vetting: String
        var descriptors: [String]
        var descriptor_required: Bool
        var readable_by_you: Bool
    }
    var code: String
    var title: String
    var source: String
    var levels: [Level]
    var your_vetting: String
    var your_vetting_expires: Date?

    init(_ scheme: MarkingScheme, reader: Reader) {
        code = scheme.code
        title = scheme.title
        source = scheme.source
        levels = scheme.levels.map {
            Level(
                code: $0.code, name: $0.name, description: $0.description, minimum_vetting: $0.minimumVetting.rawValue,
                descriptors: $0.descriptors, descriptor_required: $0.descriptorRequired,
                readable_by_you: reader.vetting >= $0.minimumVetting)
        }
        your_vetting = reader.vetting.rawValue
        your_vetting_expires = reader.principal.vetting.expires
    }
}

struct AuditEntryDTO: Content {
    var seq: Int
    var at: String
    var actor_email: String
    var actor_id: UUID?
    var actor_vetting: String
    var action: String
    var record_type: String
    var record_id: String
    var organisation_id: UUID?
    var outcome: String
    var request_id: String
    var detail: String
    var hash: String

    init(_ entry: AuditEntry) {
        seq = entry.seq
        at = entry.at
        actor_email = entry.actorEmail
        actor_id = entry.actorID
        actor_vetting = entry.actorVetting
        action = entry.action
        record_type = entry.recordType
        record_id = entry.recordID
        organisation_id = entry.organisationID
        outcome = entry.outcome.rawValue
        request_id = entry.requestID
        detail = entry.detail
        hash = entry.hash
    }
}

/// The fields of a share form or multipart upload, as sent.
struct ShareForm: Content {
    var title: String?
    var summary: String?
    var body: String?
    var marking: String?
    var descriptors: String?
    /// Further need-to-know group ids, comma-separated.
    var groups: String?
    var review_date: String?
    var expires: String?
    var file: File?

    func request(kind: SharedItemKind, zone: TimeZone) throws -> ShareRequest {
        var errors = ValidationErrors()
        func date(_ text: String?, _ field: String) -> Date? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            do { return try DateInput.parse(text, field: field, zone: zone) } catch let error as FieldError {
                errors.add(field, error.message)
            } catch { errors.add(field, "\"\(text)\" is not a date like 2027-03-31") }
            return nil
        }
        let needToKnow = NeedToKnow.parse(groups, errors: &errors)
        let request = ShareRequest(
            kind: kind, title: title, summary: summary, body: body, marking: marking, descriptors: descriptors,
            needToKnow: needToKnow, reviewDate: date(review_date, "review_date"), expires: date(expires, "expires"),
            file: UploadedFile(file))
        try errors.throwIfAny()
        return request
    }
}

extension SharedItemVersion {
    func download(marking: Marking) -> Response {
        Download.marked(content: content, contentType: contentType, filename: filename, sha256: sha256, marking: marking)
    }
}

extension SharedItem: StalePresentable {
    /// The item as it is now, without its text: the marking may have changed past the
    /// reader's vetting, and a conflict never reveals what a read would withhold.
    func presentation(for reader: Reader?, at now: Date) -> any Encodable & Sendable {
        guard var dto = try? SharedItemDTO(self) else { return [String: String]() }
        dto.body = nil
        return dto
    }
}
