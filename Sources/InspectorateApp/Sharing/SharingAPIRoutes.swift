import Fluent
import InspectorateCore
import Vapor

/// Groups, shared documents and notes, and the deployment's marking scheme.
struct SharingAPIRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.markings, use: markings)
        routes.get(APIURL.groups, use: listGroups)
        routes.post(APIURL.groups, use: createGroup)
        routes.get(APIURL.group(.key), use: showGroup)
        routes.post(APIURL.groupMembers(.key), use: addMember)
        routes.delete(APIURL.groupMember(.key, .key), use: removeMember)
        routes.post(APIURL.groupItems(.key), body: .upload, use: share)
        routes.get(APIURL.sharedItems, use: listItems)
        routes.get(APIURL.sharedItem(.key), use: showItem)
        routes.post(APIURL.sharedItemVersions(.key), body: .upload, use: addVersion)
        routes.get(APIURL.sharedItemVersionContent(.key, .key), use: download)
        routes.put(APIURL.sharedItemMarking(.key), use: changeMarking)
    }

    func markings(req: Request) async throws -> MarkingSchemeDTO {
        MarkingSchemeDTO(req.markingScheme, reader: try await req.reader())
    }

    struct GroupList: Content { var groups: [GroupDTO] }

    func listGroups(req: Request) async throws -> GroupList {
        GroupList(groups: try await GroupService.list(for: try req.currentUser, on: req.db).map { try GroupDTO($0) })
    }

    struct CreateGroupBody: StrictBody {
        var name: String?
        var description: String?
        enum Keys: String, CodingKey, CaseIterable { case name, description }
    }

    func createGroup(req: Request) async throws -> Response {
        let body = try req.strictBody(CreateGroupBody.self)
        let group = try await GroupService.create(
            name: body.name, description: body.description, by: try req.currentUser,
            caller: req.caller, on: req.db)
        return try await GroupDTO(group).encodeResponse(status: .created, for: req)
    }

    struct GroupDetail: Content {
        var group: GroupDTO
        var members: [MemberDTO]
        var items: [SharedItemSummaryDTO]
        var next: String?
    }

    func showGroup(req: Request) async throws -> GroupDetail {
        let user = try req.currentUser
        let (group, _) = try await GroupService.find(try req.parameter("group", as: UUID.self, naming: "group"), for: user, on: req.db)
        let reader = try await req.reader()
        let page = try await SharedItemService.list(reader: reader, groupID: group.id, after: Cursor(token: req.query["after"]), on: req.db)
        return GroupDetail(
            group: try GroupDTO(group), members: try await GroupService.members(of: group, on: req.db).map(MemberDTO.init),
            items: page.items.map(SharedItemSummaryDTO.init), next: page.next?.token)
    }

    struct AddMemberBody: StrictBody {
        var email: String?
        var owner: Bool?
        enum Keys: String, CodingKey, CaseIterable { case email, owner }
    }

    func addMember(req: Request) async throws -> Response {
        let user = try req.currentUser
        let (group, membership) = try await GroupService.find(
            try req.parameter("group", as: UUID.self, naming: "group"), for: user, on: req.db)
        let body = try req.strictBody(AddMemberBody.self)
        let member = try await GroupService.addMember(
            email: body.email, owner: body.owner ?? false, to: group, membership: membership,
            by: user, caller: req.caller, on: req.db)
        return try await MemberDTO(member).encodeResponse(status: .created, for: req)
    }

    func removeMember(req: Request) async throws -> HTTPStatus {
        let user = try req.currentUser
        let (group, membership) = try await GroupService.find(
            try req.parameter("group", as: UUID.self, naming: "group"), for: user, on: req.db)
        try await GroupService.removeMember(
            userID: try req.parameter("user", as: UUID.self, naming: "member"), from: group, membership: membership,
            caller: req.caller, on: req.db)
        return .noContent
    }

    /// A note as JSON, or a document (or note) as multipart/form-data with a `file` part.
    func share(req: Request) async throws -> Response {
        let user = try req.currentUser
        let (group, membership) = try await GroupService.find(
            try req.parameter("group", as: UUID.self, naming: "group"), for: user, on: req.db)
        let form: ShareForm
        let kind: SharedItemKind
        _ = try await req.collectBody()
        if req.headers.contentType?.subType == "json" {
            let body = try req.strictBody(NoteBody.self)
            form = ShareForm(
                title: body.title, summary: body.summary, body: body.body, marking: body.marking,
                descriptors: body.descriptors?.joined(separator: ","), groups: body.groups?.map(\.uuidString).joined(separator: ","),
                review_date: body.review_date, expires: body.expires)
            kind = .note
        } else if req.headers.contentType?.type == "multipart" {
            do { form = try req.form(ShareForm.self) } catch {
                throw FieldError("body", "Send the document as multipart/form-data with title, marking and a file part")
            }
            kind = form.file == nil ? .note : .document
        } else {
            throw HTTPProblem.unsupportedMediaType("Send a note as application/json, or a document as multipart/form-data")
        }
        let reader = try await req.reader()
        let item = try await SharedItemService.share(
            try form.request(kind: kind, zone: req.application.settings.timeZone), into: group, membership: membership, reader: reader,
            policy: SharedItemService.policy(req.application), caller: req.caller, on: req.db)
        return try await SharedItemDTO(item).encodeResponse(status: .created, for: req)
    }

    struct NoteBody: StrictBody {
        var title: String?
        var summary: String?
        var body: String?
        var marking: String?
        var descriptors: [String]?
        var groups: [UUID]?
        var review_date: String?
        var expires: String?
        enum Keys: String, CodingKey, CaseIterable { case title, summary, body, marking, descriptors, groups, review_date, expires }
    }

    struct ItemList: Content {
        var items: [SharedItemSummaryDTO]
        /// Every readable item matching, across all pages.
        var total: Int
        var next: String?
    }

    /// Search across every group the caller belongs to; only what they may read is listed
    /// or counted.
    func listItems(req: Request) async throws -> ItemList {
        let reader = try await req.reader()
        let limit = try req.queryInteger("limit", default: 50, in: 1...200)
        let page = try await SharedItemService.list(
            reader: reader, groupID: req.query["group"], search: req.query["q"],
            after: try Cursor(query: req.query["after"]), limit: limit, on: req.db)
        return ItemList(
            items: page.items.map(SharedItemSummaryDTO.init), total: try await SharedItemService.count(reader: reader, on: req.db),
            next: page.next?.token)
    }

    struct ItemDetail: Content {
        var item: SharedItemDTO
        var versions: [FileVersionDTO]
    }

    func showItem(req: Request) async throws -> Response {
        let reader = try await req.reader()
        let item = try await SharedItemService.open(
            try req.parameter("item", as: UUID.self, naming: "item"), reader: reader, caller: req.caller, on: req.db)
        let response = try await ItemDetail(
            item: try SharedItemDTO(item), versions: try await SharedItemService.versions(of: item, on: req.db).map(FileVersionDTO.init)
        )
        .encodeResponse(for: req)
        response.headers.replaceOrAdd(name: "X-Security-Marking", value: item.marking.description)
        return response
    }

    func addVersion(req: Request) async throws -> Response {
        let reader = try await req.reader()
        let item = try await SharedItemService.open(
            try req.parameter("item", as: UUID.self, naming: "item"), reader: reader, action: "version", caller: req.caller, on: req.db)
        guard req.headers.contentType?.type == "multipart" else {
            throw HTTPProblem.unsupportedMediaType("Send the file as multipart/form-data in a part named file")
        }
        _ = try await req.collectBody()
        let form = try req.form(ShareForm.self)
        let file = UploadedFile(form.file)
        let updated = try await SharedItemService.addVersion(
            file, to: item, reader: reader, policy: SharedItemService.policy(req.application),
            caller: req.caller, on: req.db)
        return try await SharedItemDTO(updated).encodeResponse(status: .created, for: req)
    }

    func download(req: Request) async throws -> Response {
        let reader = try await req.reader()
        let item = try await SharedItemService.open(
            try req.parameter("item", as: UUID.self, naming: "item"), reader: reader, action: "download", caller: req.caller, on: req.db)
        return try await SharedItemService.content(
            of: item, number: try req.parameter("number", as: Int.self, naming: "version"), on: req.db
        )
        .download(marking: item.marking)
    }

    struct MarkingBody: StrictBody {
        var marking: String?
        var descriptors: [String]?
        var reason: String?
        var confirm_downgrade: Bool?
        var version: Int?
        enum Keys: String, CodingKey, CaseIterable { case marking, descriptors, reason, confirm_downgrade, version }
    }

    func changeMarking(req: Request) async throws -> SharedItemDTO {
        let reader = try await req.reader()
        let item = try await SharedItemService.open(
            try req.parameter("item", as: UUID.self, naming: "item"), reader: reader, action: "remark", caller: req.caller, on: req.db)
        let body = try req.strictBody(MarkingBody.self)
        return try SharedItemDTO(
            try await SharedItemService.changeMarking(
                of: item, to: body.marking, descriptors: body.descriptors?.joined(separator: ","),
                reason: body.reason, confirmedDowngrade: body.confirm_downgrade ?? false, expectedVersion: body.version, reader: reader,
                caller: req.caller, on: req.db))
    }
}
