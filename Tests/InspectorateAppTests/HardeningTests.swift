import Fluent
import Foundation
import InspectorateCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

/// The reproductions of issue 10, each as a test of the kind it stands for.
@Suite("Hardening")
struct HardeningTests {
    func tokenAttempt(_ app: Application, _ email: String, _ password: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(
            .POST, "/api/v1/tokens", headers: ["Content-Type": "application/json"], body: json(["email": email, "password": password]))
    }

    // MARK: 1. Throttling under concurrency

    @Test func theSignInLimitHoldsHoweverManyAttemptsArriveAtOnce() async throws {
        try await withApp { app in
            let user = try await app.makeUser(.analyst)
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<40 { group.addTask { try await tokenAttempt(app, user.email, "a wrong password guess").status.code } }
                var all: [UInt] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.filter { $0 == 401 }.count == LoginThrottle.perAccount, "\(statuses)")
            #expect(statuses.filter { $0 == 429 }.count == 40 - LoginThrottle.perAccount)
            // Locked: the right password is refused too, and the flood left one throttling entry.
            #expect(try await tokenAttempt(app, user.email, testPassword).status == .tooManyRequests)
            let throttled = try await AuditTrail.page(AuditTrail.Filter(action: "sign-in", outcome: .denied), before: nil, on: app.db)
            #expect(throttled.count == 1)
            // After the window the account signs in again, and a success clears the count.
            (app.clock as! ManualClock).advance(by: LoginThrottle.window + 1)
            #expect(try await tokenAttempt(app, user.email, testPassword).status == .created)
        }
    }

    // MARK: 2. Open redirect

    @Test func signInReturnsOnlyToAPageOfThisSite() async throws {
        for next in [
            "/%09/127.0.0.1:18399/pwned", "/\t/evil.example", "//evil.example", "https://evil.example", "/\\evil.example",
            "javascript:alert(1)",
            "/no-such-page",
        ] {
            #expect(SignInRoutes.safeNext(next) == "/", "\(next)")
        }
        #expect(SignInRoutes.safeNext("/organisations?region=Wales") == "/organisations?region=Wales")
        try await withApp { app in
            let user = try await app.makeUser(.analyst)
            var session = WebSession(app: app)
            let answer = try await session.post(
                "/sign-in", form: ["email": user.email, "password": testPassword, "next": "/%09/127.0.0.1:18399/pwned"])
            #expect(answer.status == .seeOther && answer.headers.first(name: .location) == "/")
        }
    }

    // MARK: 4, 5, 11. Anonymous requests cost little and leave little

    @Test func anonymousRequestsAreLimitedBeforeTheyAreRead() async throws {
        try await withApp { app in
            var visitor = WebSession(app: app)
            let page = try await visitor.get("/sign-in")
            #expect(page.status == .ok)
            // 20 MB to the sign-in form: refused by size before any parsing.
            let big = String(repeating: "a", count: 20 << 20)
            var headers = visitor.headers()
            headers.contentType = .urlEncodedForm
            let flood = try await app.testing().sendRequest(.POST, "/sign-in", headers: headers, body: ByteBuffer(string: "email=\(big)"))
            #expect(flood.status == .payloadTooLarge)
            // A 900 KB e-mail address is not an address: refused, and nothing of it is kept.
            let long = String(repeating: "x", count: 900_000) + "@example.org"
            let answer = try await tokenAttempt(app, long, "whatever it is")
            #expect(answer.status == .unprocessableEntity && answer.errorField == "email")
            let entries = try await AuditTrail.page(AuditTrail.Filter(), before: nil, limit: 500, on: app.db)
            #expect(entries.allSatisfy { $0.actorEmail.count <= AuditLog.limits.email && $0.detail.count <= AuditLog.limits.detail })
            // Reading the sign-in page stored no session.
            let sessions = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM web_sessions").first()?.decode(column: "n", as: Int.self)
            #expect(sessions == 0)
        }
    }

    @Test func sessionsAreMadeAtSignInStoredHashedAndPurged() async throws {
        try await withApp { app in
            let user = try await app.makeUser(.analyst)
            var session = WebSession(app: app)
            #expect(try await session.signIn(user.email, testPassword).status == .seeOther)
            let cookie = try #require(session.cookies["inspectorate-session"])
            let rows = try await app.db.sql.raw("SELECT id_hash, expires_at FROM web_sessions").all()
            #expect(rows.count == 1)
            let stored = try rows[0].decode(column: "id_hash", as: String.self)
            #expect(stored != cookie && stored == Digest.sha256(Data(cookie.utf8)), "the table holds the id's hash, never the id")
            #expect(try await session.get("/account").status == .ok)
            // Past its end the session opens nothing, and the next sign-in deletes its row.
            (app.clock as! ManualClock).advance(by: Double(app.settings.sessionHours) * 3600 + 1)
            #expect(try await session.get("/account").status == .seeOther)
            var other = WebSession(app: app)
            _ = try await other.signIn(user.email, testPassword)
            let left = try await app.db.sql.raw("SELECT id_hash FROM web_sessions").all().map {
                try $0.decode(column: "id_hash", as: String.self)
            }
            #expect(left.count == 1 && !left.contains(stored))
        }
    }

    // MARK: 6. Nobody vets themselves

    @Test func nobodyChangesTheirOwnVettingRoleOrOrganisation() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            let me = try await app.testing().sendRequest(.GET, "/api/v1/me", headers: admin.bearer)
            let id = try #require(me.object["id"] as? String)
            let version = me.object["version"] as? Int ?? 1
            for change in [
                ["vetting_level": "dv", "vetting_granted": "2026-01-01", "vetting_reference": "SELF"], ["role": "lead_inspector"],
                ["organisation": "kent"], ["active": false],
            ] as [[String: Any]] {
                var body = change
                body["version"] = version
                let refused = try await app.testing().sendRequest(
                    .PATCH, "/api/v1/users/\(id)", headers: .bearer(admin, json: true), body: json(body))
                #expect(refused.status == .forbidden, "\(change)")
            }
            let denied = try await AuditTrail.page(AuditTrail.Filter(action: "user.update", outcome: .denied), before: nil, on: app.db)
            #expect(denied.count == 4)
            // Another administrator grants it, with the vetting authority's reference.
            let other = try await app.makeUser(.administrator)
            let noReference = try await app.testing().sendRequest(
                .PATCH, "/api/v1/users/\(id)", headers: .bearer(other, json: true),
                body: json(["vetting_level": "sc", "vetting_granted": "2026-01-01", "version": version]))
            #expect(noReference.status == .unprocessableEntity && noReference.errorField == "vetting_reference")
            let granted = try await app.testing().sendRequest(
                .PATCH, "/api/v1/users/\(id)", headers: .bearer(other, json: true),
                body: json([
                    "vetting_level": "sc", "vetting_granted": "2026-01-01", "vetting_reference": "UKSV-2026-117", "version": version,
                ]))
            #expect(granted.status == .ok)
            #expect(granted.object["vetting_reference"] as? String == "UKSV-2026-117")
            #expect(granted.object["vetting_granted_by"] as? String == other.user.id?.uuidString)
            let vetting = try await AuditTrail.page(AuditTrail.Filter(action: "user.vetting"), before: nil, on: app.db)
            #expect(vetting.first?.actorEmail == other.email && vetting.first?.detail.contains("UKSV-2026-117") == true)
        }
    }

    // MARK: 7. The audit trail's details obey the access rule

    @Test func theAuditTrailWithholdsDetailsOfMarkedRecords() async throws {
        try await withApp { app in
            let owner = try await app.makeUser(.leadInspector, vetting: .sc)
            let group = try await SharingTests.group(app, owner: owner, members: [])
            let item = try await app.testing().sendRequest(
                .POST, "/api/v1/groups/\(group)/items", headers: .bearer(owner, json: true),
                body: json(["title": "Operation Nightjar referrals", "body": "Names.", "marking": "SECRET"]))
            #expect(item.status == .created)
            let unvetted = try await app.makeUser(.administrator)
            let cleared = try await app.makeUser(.administrator, vetting: .sc)
            var page = WebSession(app: app)
            _ = try await page.signIn(unvetted.email, testPassword)
            let shown = [
                try await page.get("/audit").text, try await page.get("/audit.csv").text,
                try await app.testing().sendRequest(.GET, "/api/v1/audit", headers: unvetted.bearer).text,
                try await app.testing().sendRequest(.GET, "/api/v1/audit?format=csv", headers: unvetted.bearer).text,
            ]
            for text in shown {
                #expect(!text.contains("Nightjar") && text.contains("withheld: marked SECRET"))
            }
            // Someone whose vetting and groups cover it reads the detail... if they are in the group.
            let api = try await app.testing().sendRequest(.GET, "/api/v1/audit", headers: owner.bearer)
            #expect(api.status == .notFound, "the audit trail is for administrators")
            let clearedView = try await app.testing().sendRequest(.GET, "/api/v1/audit", headers: cleared.bearer).text
            #expect(!clearedView.contains("Nightjar"), "SC, but not in the group: need-to-know withholds it")
        }
    }

    // MARK: 9. Denials, sign-outs and password guesses are in the trail

    @Test func deniedAccessSignOutAndPasswordGuessesAreRecorded() async throws {
        try await withApp { app in
            let lead = try await app.makeUser(.leadInspector)
            let created = try await app.testing().sendRequest(
                .POST, "/api/v1/cycles", headers: .bearer(lead, json: true),
                body: json([
                    "code": "c", "title": "C", "framework": "graded-judgement@2022.1", "self_assessment_due": "2022-01-31",
                    "fieldwork_start": "2022-02-01", "fieldwork_end": "2022-04-30", "moderation_due": "2022-05-31",
                    "publication": "2022-07-01", "organisations": ["kent", "essex"],
                ]))
            #expect(created.status == .created)
            let essex = try await app.makeUser(.organisationMember, organisation: "essex", vetting: .bpss)
            let path = "/api/v1/cycles/c/organisations/kent/assessments/self"
            #expect(try await app.testing().sendRequest(.GET, path, headers: essex.bearer).status == .notFound)
            let denied = try await AuditTrail.page(AuditTrail.Filter(user: essex.email, outcome: .denied), before: nil, on: app.db)
            #expect(denied.count == 1 && denied.first?.recordID == "GET \(path)")
            // Signing out is recorded.
            var session = WebSession(app: app)
            _ = try await session.signIn(essex.email, testPassword)
            _ = try await session.post("/sign-out", form: [:], from: "/account")
            #expect(try await AuditTrail.page(AuditTrail.Filter(action: "sign-out"), before: nil, on: app.db).count == 1)
            // Wrong current passwords are recorded, then refused altogether.
            var owner = WebSession(app: app)
            _ = try await owner.signIn(lead.email, testPassword)
            var statuses: [UInt] = []
            for _ in 0..<7 {
                let answer = try await owner.post(
                    "/account/password",
                    form: [
                        "current_password": "not my password", "new_password": "a new long passphrase",
                        "confirm_password": "a new long passphrase",
                    ],
                    from: "/account")
                statuses.append(answer.status.code)
            }
            #expect(statuses == [422, 422, 422, 422, 422, 429, 429], "\(statuses)")
            let guesses = try await AuditTrail.page(AuditTrail.Filter(action: "password.change"), before: nil, on: app.db)
            #expect(guesses.filter { $0.outcome == .failure }.count == 5 && guesses.filter { $0.outcome == .denied }.count == 1)
        }
    }

    // MARK: 10. Timing does not tell accounts apart

    @Test func unknownAddressesAreCheckedAtTheConfiguredCost() async throws {
        try await withApp { app in
            _ = try await tokenAttempt(app, "nobody@example.org", "some password here")
            let dummy = try await SignInService.dummyHash(app.password.async, cost: app.settings.bcryptCost)
            #expect(dummy.hasPrefix("$2b$04$"), "the same cost as real accounts' hashes, so the time is the same")
            let user = try await app.makeUser(.analyst)
            #expect(user.user.passwordHash.hasPrefix("$2b$04$"))
        }
    }

    // MARK: 12, 13. Files from the field

    static func file(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("field-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func utf16LittleEndian(_ text: String) -> [UInt8] {
        [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    @Test func separatorsAndEncodingsAreFoundOrNamed() async throws {
        try await withApp { app in
            let semicolons = "code;name;kind;region;population_2011\nynys-mon;Cyngor Sir Ynys Môn;partner_body;Wales;69751\n"
            #expect(try await app.run(["orgs", "import", try Self.file(Array(semicolons.utf8))]).contains("1 created"))
            #expect(try await Organisation.query(on: app.db).filter(\.$code == "ynys-mon").first()?.name == "Cyngor Sir Ynys Môn")
            let unicodeText = "code\tname\tkind\tregion\tpopulation_2011\ncaf-council\tCaf\u{00E9} Council\tpartner_body\tWales\t1\n"
            #expect(try await app.run(["orgs", "import", try Self.file(Self.utf16LittleEndian(unicodeText))]).contains("1 created"))
            #expect(try await Organisation.query(on: app.db).filter(\.$code == "caf-council").first()?.name == "Café Council")
            // Windows-1252: "Caf\xE9" is not UTF-8. Refused, naming the line and what to do.
            let windows: [UInt8] =
                Array("code,name,kind,region,population_2011\nother,Caf".utf8) + [0xE9] + Array(" Two,partner_body,Wales,1\n".utf8)
            let refused = await InspectionLoopTests.cli(app, ["orgs", "import", try Self.file(windows)])
            #expect(refused.contains("line 2") && refused.contains("UTF-8"), "\(refused)")
            #expect(try await Organisation.query(on: app.db).filter(\.$code == "other").count() == 0)
            let names = try await Organisation.query(on: app.db).all().map(\.name)
            #expect(!names.contains { $0.contains("\u{FFFD}") }, "no replacement character is ever stored")
        }
    }

    @Test func problemsNameThePhysicalLine() async throws {
        try await withApp { app in
            let text =
                "code,name,kind,region,population_2011\n\"note-council\",\"A council\nwhose name\nruns on\",partner_body,Wales,12\nbad-council,Bad Council,partner_body,Wales,lots\n"
            let refused = await InspectionLoopTests.cli(app, ["orgs", "import", try Self.file(Array(text.utf8))])
            #expect(refused.contains("line 5"), "the bad value sits on line 5 of the file: \(refused)")
        }
    }

    // MARK: 14, 15. Frameworks that expand or overflow

    static func framework(weight: String = "1", extra: String = "") -> String {
        """
        code: bounded
        version: "1"
        title: Bounded
        rollup: weighted_mean
        scale:
          - { level: 1, name: One }
          - { level: 2, name: Two }
        areas:
          - code: a
            title: A
            criteria:
              - { code: c1, title: C1, weight: \(weight), levels: { 1: x, 2: y } }
              - { code: c2, title: C2, weight: 1, levels: { 1: x, 2: y } }
        tiers:
          - { code: t, name: T, deadline: "2027-03-31", minimums: { a: 1 } }
        \(extra)
        """
    }

    func validate(_ app: Application, _ admin: TestUser, _ yaml: String) async throws -> TestingHTTPResponse {
        var headers = admin.bearer
        headers.contentType = HTTPMediaType(type: "application", subType: "yaml")
        return try await app.testing().sendRequest(.POST, "/api/v1/frameworks/validate", headers: headers, body: ByteBuffer(string: yaml))
    }

    @Test func frameworksWithAliasesOrWildNumbersAreRefusedAtValidation() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            #expect(try await validate(app, admin, Self.framework()).status == .ok)
            let laughs = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                """
            let expanding = try await validate(app, admin, laughs)
            #expect(expanding.status == .unprocessableEntity && expanding.text.contains("anchors and aliases"))
            let huge = try await validate(app, admin, Self.framework(extra: "# " + String(repeating: "x", count: 1_100_000)))
            #expect(huge.status == .payloadTooLarge || huge.status == .unprocessableEntity)
            for weight in ["1e308", "0", "-1", ".nan", ".inf", "0.0000001"] {
                let wild = try await validate(app, admin, Self.framework(weight: weight))
                #expect(wild.status == .unprocessableEntity && wild.text.contains("areas[0].criteria[0].weight"), "\(weight): \(wild.text)")
            }
            // Prose with "&" and "*" is not an alias.
            #expect(
                try await validate(app, admin, Self.framework(extra: "source: \"R&D *review*\"\npublisher: Home Office & ACPO")).status
                    == .ok)
        }
    }

    // MARK: 16, 17. Identity and names

    @Test func emailAddressesAreOneAccountWhateverTheirUnicodeForm() async throws {
        try await withApp { app in
            let composed = "zo\u{00E9}.ellis@example.org"
            let decomposed = "zoe\u{0301}.ellis@example.org"
            let admin = try await app.makeUser(.administrator)
            let first = try await app.testing().sendRequest(
                .POST, "/api/v1/users", headers: .bearer(admin, json: true),
                body: json(["email": composed, "display_name": "Zoé Ellis", "role": "analyst", "password": testPassword]))
            #expect(first.status == .created)
            let second = try await app.testing().sendRequest(
                .POST, "/api/v1/users", headers: .bearer(admin, json: true),
                body: json(["email": decomposed.uppercased(), "display_name": "Zoé Ellis", "role": "analyst", "password": testPassword]))
            #expect(second.status == .conflict)
            #expect(try await tokenAttempt(app, decomposed, testPassword).status == .created)
        }
    }

    @Test func codesAreMadeFromAnyName() async throws {
        try await withApp { app in
            let lead = try await app.makeUser(.leadInspector)
            let welsh = try await app.testing().sendRequest(
                .POST, "/api/v1/organisations", headers: .bearer(lead, json: true),
                body: json(["name": "Cyngor Sir Ynys Môn", "region": "Wales"]))
            #expect(welsh.status == .created && welsh.object["code"] as? String == "cyngor-sir-ynys-mon")
            let none = try await app.testing().sendRequest(
                .POST, "/api/v1/organisations", headers: .bearer(lead, json: true), body: json(["name": "東京都", "region": "London"]))
            #expect(none.status == .unprocessableEntity && none.errorField == "name", "the field the caller sent")
        }
        #expect(OrganisationCode.suggest(from: "Straße & Søn Ltd.") == "strasse-and-son-ltd")
    }

    // MARK: 18. Civil dates and instants

    @Test func aVettingExpiryDateMeansTheStartOfThatDayInTheDeploymentsZone() async throws {
        let clock = ManualClock(testInstant)
        try await withApp(clock: clock) { app in
            let admin = try await app.makeUser(.administrator)
            let analyst = try await app.makeUser(.analyst, vetting: .sc)
            func expire(_ text: String) async throws -> TestingHTTPResponse {
                let me = try #require(try await UserService.find(id: try analyst.user.requireID(), on: app.db))
                return try await app.testing().sendRequest(
                    .PATCH, "/api/v1/users/\(try me.requireID())", headers: .bearer(admin, json: true),
                    body: json(["vetting_expires": text, "version": me.version]))
            }
            func inForce(at instant: String) async throws -> VettingLevel {
                let user = try #require(try await UserService.find(id: try analyst.user.requireID(), on: app.db))
                return user.vetting.effectiveLevel(at: try Instant.parse(instant, field: "at"))
            }
            // Summer: 31 July starts at 23:00 UTC on the 30th.
            #expect(try await expire("2027-07-31").status == .ok)
            #expect(try await inForce(at: "2027-07-30T22:59:59Z") == .sc)
            #expect(try await inForce(at: "2027-07-30T23:30:00Z") == .none, "00:30 BST on the day it expires")
            // Either side of the clock changes: 28 March 2027 (GMT to BST) and 31 October 2027.
            #expect(try await expire("2027-03-28").status == .ok)
            #expect(try await inForce(at: "2027-03-27T23:59:59Z") == .sc)
            #expect(try await inForce(at: "2027-03-28T00:00:00Z") == .none)
            #expect(try await expire("2027-10-31").status == .ok)
            #expect(try await inForce(at: "2027-10-30T22:59:59Z") == .sc)
            #expect(try await inForce(at: "2027-10-30T23:00:00Z") == .none)
            // A time without a zone is refused, naming the field.
            let noZone = try await expire("2027-07-31T23:59:00")
            #expect(noZone.status == .unprocessableEntity && noZone.errorField == "vetting_expires" && noZone.text.contains("time zone"))
        }
    }
}
