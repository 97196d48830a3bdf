import Fluent
import Foundation
import InspectorateCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("Information sharing under markings and vetting")
struct SharingTests {
    static let pdf = Data("%PDF-1.4\n% a CTLP summary\n".utf8)

    /// A group owned by `owner` with `members` added through the API.
    static func group(
        _ app: Application, owner: TestUser, members: [TestUser] = [], name: String = "West Midlands CTLP partnership"
    ) async throws -> String {
        let created = try await app.testing().sendRequest(
            .POST, "/api/v1/groups", headers: .bearer(owner, json: true), body: json(["name": name]))
        #expect(created.status == .created)
        let id = created.object["id"] as! String
        for member in members {
            let added = try await app.testing().sendRequest(
                .POST, "/api/v1/groups/\(id)/members", headers: .bearer(owner, json: true), body: json(["email": member.email]))
            #expect(added.status == .created)
        }
        return id
    }

    static func shareDocument(
        _ app: Application, as user: TestUser, group: String, fields: [String: String],
        file: (String, Data)? = ("ctlp.pdf", pdf)
    ) async throws -> TestingHTTPResponse {
        let (headers, body) = multipart(fields, file: file.map { (filename: $0.0, data: $0.1) })
        return try await app.testing().sendRequest(.POST, "/api/v1/groups/\(group)/items", headers: user.bearer.adding(headers), body: body)
    }

    @Test func aDocumentIsSharedMarkedAndDownloadedWithItsMarking() async throws {
        try await withApp { app in
            let police = try await app.makeUser(.organisationMember, vetting: .sc)
            let council = try await app.makeUser(.partner, organisation: "metropolitan", vetting: .bpss)
            let group = try await Self.group(app, owner: police, members: [council])
            let shared = try await Self.shareDocument(
                app, as: police, group: group,
                fields: ["title": "CTLP summary 2009", "marking": "OFFICIAL-SENSITIVE", "descriptors": "LOCSEN"])
            #expect(shared.status == .created, "\(shared.body.string)")
            let id = shared.object["id"] as! String
            #expect((shared.object["marking"] as? [String: Any])?["label"] as? String == "OFFICIAL-SENSITIVE LOCSEN")

            // A partner from another organisation, in the group and vetted enough, reads it.
            let item = try await app.testing().sendRequest(.GET, "/api/v1/shared-items/\(id)", headers: council.bearer)
            #expect(item.status == .ok)
            #expect(item.headers.first(name: "X-Security-Marking") == "OFFICIAL-SENSITIVE LOCSEN")
            let versions = item.object["versions"] as? [[String: Any]] ?? []
            #expect(versions.first?["sha256"] as? String == SHA256.hash(data: Self.pdf).map { String(format: "%02x", $0) }.joined())
            #expect(versions.first?["size"] as? Int == Self.pdf.count)
            let download = try await app.testing().sendRequest(
                .GET, "/api/v1/shared-items/\(id)/versions/1/content", headers: council.bearer)
            #expect(download.status == .ok)
            #expect(Data(download.body.readableBytesView) == Self.pdf)
            #expect(download.headers.first(name: .contentDisposition)?.contains("OFFICIAL-SENSITIVE-LOCSEN_ctlp.pdf") == true)
            #expect(download.headers.first(name: "X-Security-Marking") == "OFFICIAL-SENSITIVE LOCSEN")

            // The page shows the marking in a banner, top and bottom.
            var web = WebSession(app: app)
            _ = try await web.signIn(council.email, council.password)
            let page = try await web.get("/sharing/items/\(id)")
            #expect(page.status == .ok)
            #expect(page.body.string.components(separatedBy: "class=\"marking-banner\"").count == 3)

            // A new version, then the list and count.
            let (headers, body) = multipart([:], file: (filename: "ctlp-v2.pdf", data: Self.pdf + Data("more".utf8)))
            let v2 = try await app.testing().sendRequest(
                .POST, "/api/v1/shared-items/\(id)/versions", headers: police.bearer.adding(headers), body: body)
            #expect(v2.status == .created)
            #expect(v2.object["current_version"] as? Int == 2)
            let list = try await app.testing().sendRequest(.GET, "/api/v1/shared-items", headers: council.bearer)
            #expect(list.object["total"] as? Int == 1)
        }
    }

    @Test func whatAReaderMayNotSeeIsA404AndAbsentFromListsAndCounts() async throws {
        try await withApp { app in
            let owner = try await app.makeUser(.inspector, vetting: .dv)
            let bpss = try await app.makeUser(.partner, vetting: .bpss)
            let outsider = try await app.makeUser(.inspector, vetting: .dv)
            let admin = try await app.makeUser(.administrator, vetting: .dv)
            let group = try await Self.group(app, owner: owner, members: [bpss])
            let secret = try await Self.shareDocument(
                app, as: owner, group: group, fields: ["title": "Threat assessment", "marking": "SECRET"])
            let official = try await Self.shareDocument(
                app, as: owner, group: group, fields: ["title": "Meeting notes", "marking": "OFFICIAL"])
            let secretID = secret.object["id"] as! String

            for user in [bpss, outsider, admin] {
                let item = try await app.testing().sendRequest(.GET, "/api/v1/shared-items/\(secretID)", headers: user.bearer)
                #expect(item.status == .notFound)
                #expect(!item.body.string.contains("Threat"), "the error does not reveal the item")
                let download = try await app.testing().sendRequest(
                    .GET, "/api/v1/shared-items/\(secretID)/versions/1/content", headers: user.bearer)
                #expect(download.status == .notFound)
            }
            let list = try await app.testing().sendRequest(.GET, "/api/v1/shared-items?q=threat", headers: bpss.bearer)
            #expect((list.object["items"] as? [Any])?.count == 0)
            #expect(
                try await app.testing().sendRequest(.GET, "/api/v1/shared-items?after=page-two", headers: bpss.bearer).errorField == "after"
            )
            let all = try await app.testing().sendRequest(.GET, "/api/v1/shared-items", headers: bpss.bearer)
            #expect(all.object["total"] as? Int == 1)
            #expect(((all.object["items"] as? [[String: Any]])?.map { $0["id"] as? String }) == [official.object["id"] as? String])
            // Outside the group, not even the group is there.
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/groups/\(group)", headers: outsider.bearer).status == .notFound)
            #expect(
                try await app.testing().sendRequest(.GET, "/api/v1/shared-items", headers: outsider.bearer).object["total"] as? Int == 0)

            // Each denial is in the audit trail.
            let denied = try await AuditTrail.page(AuditTrail.Filter(record: secretID, outcome: .denied), before: nil, on: app.db)
            #expect(denied.count == 6)
            #expect(Set(denied.map(\.actorEmail)) == [bpss.email, outsider.email, admin.email])
        }
    }

    @Test func accessEndsAtTheInstantVettingExpires() async throws {
        try await withApp { app in
            let owner = try await app.makeUser(.leadInspector, vetting: .sc)
            let reader = try await app.makeUser(.analyst, vetting: .sc)
            let group = try await Self.group(app, owner: owner, members: [reader])
            let id =
                try await Self.shareDocument(app, as: owner, group: group, fields: ["title": "Tiering note", "marking": "SECRET"]).object[
                    "id"] as! String
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/shared-items/\(id)", headers: reader.bearer).status == .ok)
            var web = WebSession(app: app)
            _ = try await web.signIn(reader.email, reader.password)
            #expect(try await web.get("/sharing/items/\(id)").status == .ok)

            // The vetting lapses now: the same token and the same session stop working at once.
            _ = try await UserService.update(
                reader.user, with: UserChanges(vettingExpires: .some(app.clock.now())), expectedVersion: reader.user.version,
                caller: app.commandLineCaller(), on: app.db)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/shared-items/\(id)", headers: reader.bearer).status == .notFound)
            #expect(try await web.get("/sharing/items/\(id)").status == .notFound)
            let vettingChanges = try await AuditTrail.page(AuditTrail.Filter(action: "user.vetting"), before: nil, on: app.db)
            #expect(vettingChanges.first?.detail.hasPrefix("\(reader.email): from SC") == true)
        }
    }

    @Test func badSharesAreRefusedByFieldAndNothingIsStored() async throws {
        try await withApp { app in
            app.settings.limits.uploadFile = 1 << 20
            let owner = try await app.makeUser(.organisationMember, vetting: .ctc)
            let member = try await app.makeUser(.partner, vetting: .bpss)
            let stranger = try await app.makeUser(.partner, vetting: .bpss)
            let group = try await Self.group(app, owner: owner, members: [member])
            let cases: [([String: String], (String, Data)?, String)] = [
                (["title": "Unmarked"], ("a.pdf", Self.pdf), "marking"),
                (["title": "Made up", "marking": "VERY HUSH"], ("a.pdf", Self.pdf), "marking"),
                (
                    ["title": "Bad descriptor", "marking": "OFFICIAL-SENSITIVE", "descriptors": "GOSSIP"], ("a.pdf", Self.pdf),
                    "descriptors"
                ),
                (["title": "Too big", "marking": "OFFICIAL"], ("big.pdf", Self.pdf + Data(count: 1_100_000)), "file"),
                (["title": "Program", "marking": "OFFICIAL"], ("tool.exe", Data("MZ".utf8)), "file"),
                (["title": "Renamed", "marking": "OFFICIAL"], ("tool.pdf", Data("MZ\u{90}".utf8)), "file"),
                (["title": "Above my vetting", "marking": "SECRET"], ("a.pdf", Self.pdf), "marking"),
                (["marking": "OFFICIAL"], ("a.pdf", Self.pdf), "title"),
                (["title": "Stranger's group", "marking": "OFFICIAL", "groups": UUID().uuidString], ("a.pdf", Self.pdf), "groups"),
            ]
            for (fields, file, field) in cases {
                let response = try await Self.shareDocument(app, as: owner, group: group, fields: fields, file: file)
                #expect(response.status == .unprocessableEntity, "\(fields)")
                #expect(response.errorField == field, "\(fields): \(response.body.string)")
            }
            #expect(try await SharedItem.query(on: app.db).count() == 0)
            #expect(try await SharedItemVersion.query(on: app.db).count() == 0)

            // Only owners change the members; the attempt is refused, named and recorded.
            let refused = try await app.testing().sendRequest(
                .POST, "/api/v1/groups/\(group)/members", headers: .bearer(member, json: true), body: json(["email": stranger.email]))
            #expect(refused.status == .forbidden)
            #expect(refused.errorField == "email")
            #expect(try await GroupMember.query(on: app.db).count() == 2)
            let denied = try await AuditTrail.page(AuditTrail.Filter(action: "group.members", outcome: .denied), before: nil, on: app.db)
            #expect(denied.map(\.actorEmail) == [member.email])
            // A note needs a body, and JSON is strict about its fields.
            let note = try await app.testing().sendRequest(
                .POST, "/api/v1/groups/\(group)/items", headers: .bearer(owner, json: true),
                body: json(["title": "n", "marking": "OFFICIAL"]))
            #expect(note.errorField == "body")
            let unknown = try await app.testing().sendRequest(
                .POST, "/api/v1/groups/\(group)/items", headers: .bearer(owner, json: true),
                body: json(["title": "n", "markng": "OFFICIAL"]))
            #expect(unknown.errorField == "markng")
        }
    }

    @Test func aMarkingChangeNeedsAReasonAndIsKept() async throws {
        try await withApp { app in
            let owner = try await app.makeUser(.inspector, vetting: .sc)
            let member = try await app.makeUser(.partner, vetting: .bpss)
            let group = try await Self.group(app, owner: owner, members: [member])
            let item = try await app.testing().sendRequest(
                .POST, "/api/v1/groups/\(group)/items", headers: .bearer(owner, json: true),
                body: json(["title": "Referral pathway review", "body": "Process notes.", "marking": "OFFICIAL"]))
            #expect(item.status == .created)
            let id = item.object["id"] as! String
            let noReason = try await app.testing().sendRequest(
                .PUT, "/api/v1/shared-items/\(id)/marking", headers: .bearer(owner, json: true), body: json(["marking": "SECRET"]))
            #expect(noReason.errorField == "reason")
            let byMember = try await app.testing().sendRequest(
                .PUT, "/api/v1/shared-items/\(id)/marking", headers: .bearer(member, json: true),
                body: json(["marking": "OFFICIAL-SENSITIVE", "reason": "x"]))
            #expect(byMember.status == .forbidden)
            let raised = try await app.testing().sendRequest(
                .PUT, "/api/v1/shared-items/\(id)/marking", headers: .bearer(owner, json: true),
                body: json(["marking": "SECRET", "reason": "Names a live operation", "version": 1]))
            #expect(raised.status == .ok)
            #expect((raised.object["marking"] as? [String: Any])?["level"] as? String == "SECRET")
            let stale = try await app.testing().sendRequest(
                .PUT, "/api/v1/shared-items/\(id)/marking", headers: .bearer(owner, json: true),
                body: json(["marking": "OFFICIAL", "reason": "Operation closed", "version": 1]))
            #expect(stale.status == .conflict)
            // The member's BPSS no longer reads it.
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/shared-items/\(id)", headers: member.bearer).status == .notFound)
            let changes = try await MarkingChange.query(on: app.db).all()
            #expect(changes.map(\.reason) == ["Names a live operation"])
            #expect(changes.first.map { "\($0.fromMarking) -> \($0.toMarking)" } == "OFFICIAL -> SECRET")
        }
    }

    @Test func theGuidanceAndTheSchemeComeFromTheDeploymentsScheme() async throws {
        try await withApp { app in
            let partner = try await app.makeUser(.partner, vetting: .bpss)
            let scheme = try await app.testing().sendRequest(.GET, "/api/v1/markings", headers: partner.bearer)
            #expect(scheme.object["code"] as? String == "gsc")
            let levels = scheme.object["levels"] as? [[String: Any]] ?? []
            #expect(levels.map { $0["readable_by_you"] as? Bool } == [true, true, false, false])
            var web = WebSession(app: app)
            _ = try await web.signIn(partner.email, partner.password)
            let page = try await web.get("/guidance/vetting")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Government Security Classifications"))
            #expect(page.body.string.contains("SC (Security Check)"))
        }
    }

    @Test func operatorsShareInBulkFromTheCommandLine() async throws {
        try await withApp { app in
            let owner = try await app.makeUser(.organisationMember)
            let partner = try await app.makeUser(.partner, organisation: "metropolitan")
            #expect(try await app.run(["markings"]).contains("SECRET\tneeds SC"))
            let vetted = try await app.run([
                "user", "vetting", owner.email, "--level", "sc", "--granted", "2026-01-01", "--expires", "2036-01-01", "--reference",
                "UKSV-9",
            ])
            #expect(vetted.contains("vetting SC from 2026-01-01"))
            await #expect(throws: FieldError.self) { try await app.run(["user", "vetting", owner.email, "--level", "ultra"]) }
            _ = try await app.run(["group", "create", "--name", "CTLP West Midlands", "--as", owner.email])
            _ = try await app.run(["group", "add-member", "--group", "CTLP West Midlands", "--email", partner.email, "--as", owner.email])
            await #expect(
                throws: DomainError.forbidden(reason: "Only the owners of CTLP West Midlands may change its members", field: "email"),
                "a member who is not an owner cannot add"
            ) {
                try await app.run(["group", "add-member", "--group", "CTLP West Midlands", "--email", owner.email, "--as", partner.email])
            }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("share-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try Self.pdf.write(to: folder.appendingPathComponent("profile.pdf"))
            try Data("area,score\nnorth,3\n".utf8).write(to: folder.appendingPathComponent("scores.csv"))
            try Data("MZ".utf8).write(to: folder.appendingPathComponent("setup.exe"))
            await #expect(throws: FieldError.self) {
                try await app.run([
                    "group", "share", folder.path, "--group", "CTLP West Midlands", "--marking", "OFFICIAL-SENSITIVE", "--descriptors",
                    "LOCSEN", "--as", owner.email,
                ])
            }
            #expect(try await SharedItem.query(on: app.db).count() == 0, "one bad file: nothing shared")
            try FileManager.default.removeItem(at: folder.appendingPathComponent("setup.exe"))
            let shared = try await app.run([
                "group", "share", folder.path, "--group", "CTLP West Midlands", "--marking", "OFFICIAL-SENSITIVE", "--descriptors",
                "LOCSEN", "--as", owner.email,
            ])
            #expect(shared.contains("Shared 2 documents"))
            #expect(try await SharedItem.query(on: app.db).all().map(\.title).sorted() == ["profile", "scores"])
            let listing = try await app.run(["group", "list"])
            #expect(listing.contains(partner.email))
            let entries = try await AuditTrail.page(AuditTrail.Filter(action: "document.create"), before: nil, on: app.db)
            #expect(entries.count == 2 && entries.allSatisfy { $0.actorEmail == "\(owner.email) via the command line" })
        }
    }
}
