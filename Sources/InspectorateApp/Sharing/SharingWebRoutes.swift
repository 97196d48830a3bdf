import Fluent
import InspectorateCore
import Vapor

/// Pages for groups, shared documents and notes, and the vetting guidance.
struct SharingWebRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.vettingGuidance, use: guidance)
        routes.get(SiteURL.sharing, use: index)
        routes.post(SiteURL.groups, use: createGroup)
        routes.get(SiteURL.group(.key), use: group)
        routes.post(SiteURL.groupMembers(.key), use: addMember)
        routes.post(SiteURL.groupMemberRemove(.key, .key), use: removeMember)
        routes.post(SiteURL.groupItems(.key), body: .upload, use: share)
        routes.get(SiteURL.sharedItem(.key), use: item)
        routes.post(SiteURL.sharedItemVersions(.key), body: .upload, use: addVersion)
        routes.get(SiteURL.sharedItemVersion(.key, .key), use: download)
        routes.post(SiteURL.sharedItemMarking(.key), use: changeMarking)
    }

    struct Option: Encodable { var value: String; var label: String; var selected: Bool }

    static func markingOptions(_ scheme: MarkingScheme, reader: Reader, selected: String?) -> [Option] {
        scheme.levels.filter { reader.vetting >= $0.minimumVetting }.map {
            Option(
                value: $0.code,
                label: $0.descriptors.isEmpty ? $0.code : "\($0.code) (descriptors: \($0.descriptors.joined(separator: ", ")))",
                selected: $0.code == selected)
        }
    }

    /// The groups a reader belongs to, as need-to-know checkboxes.
    static func groupOptions(_ reader: Reader, on db: any Database) async throws -> [Option] {
        guard !reader.groups.isEmpty else { return [] }
        return try await SharingGroup.query(on: db).filter(\.$id ~~ Array(reader.groups)).sort(\.$name).all()
            .map { Option(value: try $0.requireID().uuidString, label: $0.name, selected: false) }
    }

    func guidance(req: Request) async throws -> View {
        struct Page: Encodable { var page: PageContext; var scheme: MarkingSchemeDTO; var vetting: [VettingRow] }
        struct VettingRow: Encodable { var code: String; var name: String; var reads: String; var yours: Bool }
        let reader = try await req.reader()
        let scheme = req.markingScheme
        let rows = VettingLevel.allCases.map { level in
            VettingRow(
                code: level.rawValue.uppercased(), name: level.displayName,
                reads: scheme.readableLevels(with: level).joined(separator: ", ").nonEmpty ?? "nothing marked",
                yours: level == reader.vetting)
        }
        return try await req.view.render(
            "sharing/guidance",
            Page(
                page: .init(title: "Security markings and vetting", req: req),
                scheme: MarkingSchemeDTO(scheme, reader: reader), vetting: rows))
    }

    // MARK: Groups

    struct IndexPage: Encodable {
        struct Row: Encodable { var id: UUID; var name: String; var description: String; var members: Int; var isOwner: Bool }
        var page: PageContext
        var groups: [Row]
        var items: [ItemRow]
        var form: FormState
        var search: String
        var total: Int
    }

    struct ItemRow: Encodable {
        var id: UUID; var title: String; var summary: String; var kind: String; var marking: String; var group: String; var shared: String
        init(_ item: SharedItemSummary, format: DisplayFormat) {
            id = item.id; title = item.title; summary = item.summary; kind = item.kind.rawValue; marking = item.marking.description
            group = item.groupName; shared = format.day(item.createdAt)
        }
    }

    func index(req: Request) async throws -> View {
        try await renderIndex(req, form: FormState(), status: .ok)
    }

    private func renderIndex(_ req: Request, form: FormState, status: HTTPStatus) async throws -> View {
        let user = try req.currentUser
        let reader = try await req.reader()
        let search: String = req.query["q"] ?? ""
        let groups = try await GroupService.list(for: user, on: req.db).map {
            IndexPage.Row(
                id: try $0.group.requireID(), name: $0.group.name, description: $0.group.description, members: $0.members,
                isOwner: $0.isOwner)
        }
        let items = try await SharedItemService.list(reader: reader, search: search, limit: 25, on: req.db).items.map {
            ItemRow($0, format: req.display)
        }
        return try await req.view.render(
            "sharing/index",
            IndexPage(
                page: .init(title: "Sharing", req: req), groups: groups, items: items,
                form: form, search: search, total: try await SharedItemService.count(reader: reader, on: req.db)))
    }

    struct GroupForm: Content { var name: String?; var description: String? }

    func createGroup(req: Request) async throws -> Response {
        let form = try req.form(GroupForm.self)
        do {
            let group = try await GroupService.create(
                name: form.name, description: form.description, by: try req.currentUser, caller: req.caller, on: req.db)
            req.flash("Group \(group.name) created. You are its owner.")
            return req.redirect(to: SiteURL.group(.value(try group.requireID())).path)
        } catch {
            let state = FormState(
                values: ["name": form.name ?? "", "description": form.description ?? ""], problems: try FormState.problems(from: error))
            return try await renderIndex(req, form: state, status: .unprocessableEntity).encodeResponse(
                status: .unprocessableEntity, for: req)
        }
    }

    struct GroupPage: Encodable {
        struct MemberRow: Encodable { var userID: UUID; var name: String; var email: String; var organisation: String; var owner: Bool }
        struct GroupOption: Encodable { var id: UUID; var name: String }
        var page: PageContext
        var group: GroupDTO
        var members: [MemberRow]
        var isOwner: Bool
        var isMember: Bool
        var items: [ItemRow]
        var next: String?
        var markings: [Option]
        var otherGroups: [GroupOption]
        var form: FormState
        var allowedTypes: String
        var maxUploadMB: Int
    }

    func group(req: Request) async throws -> View {
        try await renderGroup(req, form: FormState())
    }

    private func renderGroup(_ req: Request, form: FormState) async throws -> View {
        let user = try req.currentUser
        let (group, membership) = try await GroupService.find(
            try req.parameter("group", as: UUID.self, naming: "group"), for: user, on: req.db)
        let reader = try await req.reader()
        let page = try await SharedItemService.list(reader: reader, groupID: group.id, after: Cursor(token: req.query["after"]), on: req.db)
        let members = try await GroupService.members(of: group, on: req.db).map {
            GroupPage.MemberRow(
                userID: $0.$user.id, name: $0.user.displayName, email: $0.user.email,
                organisation: $0.user.organisation?.name ?? "Inspectorate", owner: $0.owner)
        }
        let others = try await GroupService.list(for: user, on: req.db).filter { other in
            other.group.id != group.id && other.group.id.map(reader.groups.contains) == true
        }
        let selected = form.values["marking"] ?? req.markingScheme.defaultMarking(for: .sharedDocument).level
        return try await req.view.render(
            "sharing/group",
            GroupPage(
                page: .init(title: group.name, req: req), group: try GroupDTO(group), members: members, isOwner: membership?.owner == true,
                isMember: membership != nil, items: page.items.map { ItemRow($0, format: req.display) },
                next: try page.next.map { SiteURL.group(.value(try group.requireID())).path(query: [("after", $0.token)]) },
                markings: Self.markingOptions(req.markingScheme, reader: reader, selected: selected),
                otherGroups: try others.map { GroupPage.GroupOption(id: try $0.group.requireID(), name: $0.group.name) }, form: form,
                allowedTypes: UploadPolicy.allowedExtensions.map { "." + $0 }.joined(separator: ", "),
                maxUploadMB: req.application.settings.limits.uploadFile >> 20))
    }

    struct MemberForm: Content { var email: String?; var owner: String? }

    func addMember(req: Request) async throws -> Response {
        let user = try req.currentUser
        let (group, membership) = try await GroupService.find(
            try req.parameter("group", as: UUID.self, naming: "group"), for: user, on: req.db)
        let form = try req.form(MemberForm.self)
        do {
            let member = try await GroupService.addMember(
                email: form.email, owner: form.owner == "true", to: group, membership: membership,
                by: user, caller: req.caller, on: req.db)
            req.flash("\(member.user.displayName) added to \(group.name).")
            return req.redirect(to: SiteURL.group(.value(try group.requireID())).path)
        } catch {
            let state = FormState(values: ["email": form.email ?? ""], problems: try FormState.problems(from: error))
            return try await renderGroup(req, form: state).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    func removeMember(req: Request) async throws -> Response {
        let user = try req.currentUser
        let (group, membership) = try await GroupService.find(
            try req.parameter("group", as: UUID.self, naming: "group"), for: user, on: req.db)
        do {
            try await GroupService.removeMember(
                userID: try req.parameter("user", as: UUID.self, naming: "member"), from: group, membership: membership,
                caller: req.caller, on: req.db)
            req.flash("Member removed from \(group.name).")
            return req.redirect(to: SiteURL.group(.value(try group.requireID())).path)
        } catch {
            return try await renderGroup(req, form: FormState(problems: try FormState.problems(from: error))).encodeResponse(
                status: .unprocessableEntity, for: req)
        }
    }

    struct WebShareForm: Content {
        var kind: String?
        var title: String?
        var summary: String?
        var body: String?
        var marking: String?
        var descriptors: String?
        var groups: [String]?
        var review_date: String?
        var expires: String?
        var file: File?
    }

    func share(req: Request) async throws -> Response {
        let user = try req.currentUser
        let (group, membership) = try await GroupService.find(
            try req.parameter("group", as: UUID.self, naming: "group"), for: user, on: req.db)
        _ = try await req.collectBody()
        let form = try req.form(WebShareForm.self)
        let kind: SharedItemKind = form.kind == "note" ? .note : .document
        do {
            let request = try ShareForm(
                title: form.title, summary: form.summary, body: form.body, marking: form.marking, descriptors: form.descriptors,
                groups: form.groups?.joined(separator: ","), review_date: form.review_date, expires: form.expires,
                file: form.file
            ).request(kind: kind, zone: req.application.settings.timeZone)
            let item = try await SharedItemService.share(
                request, into: group, membership: membership, reader: try await req.reader(),
                policy: SharedItemService.policy(req.application), caller: req.caller, on: req.db)
            req.flash("\(item.title) shared, marked \(item.marking).")
            return req.redirect(to: SiteURL.sharedItem(.value(try item.requireID())).path)
        } catch {
            let values = [
                "kind": kind.rawValue, "title": form.title ?? "", "summary": form.summary ?? "", "body": form.body ?? "",
                "marking": form.marking ?? "", "descriptors": form.descriptors ?? "", "review_date": form.review_date ?? "",
                "expires": form.expires ?? "",
            ]
            return try await renderGroup(req, form: FormState(values: values, problems: try FormState.problems(from: error)))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    struct ItemPage: Encodable {
        struct VersionRow: Encodable {
            var number: Int; var filename: String; var size: String; var sha256: String; var uploaded: String; var by: String
        }
        struct ChangeRow: Encodable { var from: String; var to: String; var reason: String; var by: String; var at: String }
        var page: PageContext
        var item: SharedItemDTO
        var group: GroupDTO
        var marking: String
        var versions: [VersionRow]
        var changes: [ChangeRow]
        var markings: [Option]
        var form: FormState
    }

    func item(req: Request) async throws -> View {
        try await renderItem(req, form: FormState(), action: "read")
    }

    private func renderItem(_ req: Request, form: FormState, action: String) async throws -> View {
        let reader = try await req.reader()
        let item = try await SharedItemService.open(
            try req.parameter("item", as: UUID.self, naming: "item"), reader: reader, action: action, caller: req.caller, on: req.db)
        let stamp = req.display
        let versions = try await SharedItemService.versions(of: item, on: req.db).map {
            ItemPage.VersionRow(
                number: $0.number, filename: $0.filename, size: ByteCountFormatter.string(fromByteCount: Int64($0.size), countStyle: .file),
                sha256: $0.sha256, uploaded: stamp.instant($0.uploadedAt), by: $0.uploadedBy?.displayName ?? "–")
        }
        let changes = try await SharedItemService.markingHistory(of: item, on: req.db).map {
            ItemPage.ChangeRow(
                from: $0.fromMarking, to: $0.toMarking, reason: $0.reason, by: $0.changedBy?.displayName ?? "–",
                at: stamp.instant($0.changedAt))
        }
        return try await req.view.render(
            "sharing/item",
            ItemPage(
                page: .init(title: item.title, req: req), item: try SharedItemDTO(item), group: try GroupDTO(item.group),
                marking: item.marking.description,
                versions: versions, changes: changes,
                markings: Self.markingOptions(req.markingScheme, reader: reader, selected: form.values["marking"] ?? item.markingLevel),
                form: form))
    }

    func addVersion(req: Request) async throws -> Response {
        let reader = try await req.reader()
        let item = try await SharedItemService.open(
            try req.parameter("item", as: UUID.self, naming: "item"), reader: reader, action: "version", caller: req.caller, on: req.db)
        _ = try await req.collectBody()
        let form = try req.form(WebShareForm.self)
        let file = UploadedFile(form.file)
        do {
            let updated = try await SharedItemService.addVersion(
                file, to: item, reader: reader, policy: SharedItemService.policy(req.application),
                caller: req.caller, on: req.db)
            req.flash("Version \(updated.currentVersion) uploaded.")
            return req.redirect(to: SiteURL.sharedItem(.value(try item.requireID())).path)
        } catch {
            return try await renderItem(req, form: FormState(problems: try FormState.problems(from: error)), action: "read")
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
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

    struct MarkingForm: Content {
        var marking: String?; var descriptors: String?; var reason: String?; var confirm_downgrade: String?; var version: Int?
    }

    func changeMarking(req: Request) async throws -> Response {
        let reader = try await req.reader()
        let item = try await SharedItemService.open(
            try req.parameter("item", as: UUID.self, naming: "item"), reader: reader, action: "remark", caller: req.caller, on: req.db)
        let form = try req.form(MarkingForm.self)
        do {
            let updated = try await SharedItemService.changeMarking(
                of: item, to: form.marking, descriptors: form.descriptors, reason: form.reason,
                confirmedDowngrade: form.confirm_downgrade == "yes",
                expectedVersion: form.version, reader: reader, caller: req.caller, on: req.db)
            req.flash("Marking changed to \(updated.marking).")
            return req.redirect(to: SiteURL.sharedItem(.value(try item.requireID())).path)
        } catch {
            let state = FormState(
                values: ["marking": form.marking ?? "", "descriptors": form.descriptors ?? "", "reason": form.reason ?? ""],
                problems: try FormState.problems(from: error))
            return try await renderItem(req, form: state, action: "read").encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
