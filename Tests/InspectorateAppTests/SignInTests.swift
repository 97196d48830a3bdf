import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

@Suite("Signing in, sessions and API tokens")
struct SignInTests {
    @Test func signInWithTheFormThenSignOut() async throws {
        try await withApp { app in
            let inspector = try await app.makeUser(.inspector)
            var session = WebSession(app: app)
            let signIn = try await session.signIn(inspector.email.uppercased(), inspector.password)
            #expect(signIn.status == .seeOther)
            let cookie = try #require(signIn.headers.setCookie?["inspectorate-session"])
            #expect(cookie.isHTTPOnly)
            #expect(cookie.sameSite == .lax)
            let home = try await session.get("/")
            #expect(home.text.contains("Signed in as Inspector"))
            let out = try await session.post("/sign-out", form: [:], from: "/")
            #expect(out.status == .seeOther)
            let after = try await session.get("/organisations")
            #expect(after.status == .seeOther)
        }
    }

    @Test func wrongPasswordUnknownAndDisabledAccountsGetTheSameAnswer() async throws {
        try await withApp { app in
            let analyst = try await app.makeUser(.analyst)
            _ = try await UserService.update(
                analyst.user, with: UserChanges(active: false), expectedVersion: analyst.user.version, caller: app.commandLineCaller(),
                on: app.db)
            let other = try await app.makeUser(.inspector)
            var answers: [String] = []
            for (email, password) in [
                (other.email, "wrong password here"), ("nobody@example.org", testPassword), (analyst.email, testPassword),
            ] {
                var session = WebSession(app: app)
                let response = try await session.signIn(email, password)
                #expect(response.status == .unauthorized)
                answers.append(response.text.contains("The e-mail address or password is incorrect") ? "same" : response.text)
            }
            #expect(answers == ["same", "same", "same"])
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefused() async throws {
        try await withApp { app in
            let admin = try await app.makeUser(.administrator)
            var session = WebSession(app: app)
            _ = try await session.signIn(admin.email, admin.password)
            let forged = try await session.post("/organisations", form: ["name": "Forged Council"], csrf: false)
            #expect(forged.status == .forbidden)
            let wrong = try await session.post("/organisations", form: ["name": "Forged Council", "_csrf": "guess"], csrf: false)
            #expect(wrong.status == .forbidden)
            #expect(try await Organisation.query(on: app.db).filter(\.$name == "Forged Council").count() == 0)
        }
    }

    @Test func repeatedFailuresLockTheAccountWithAClearMessage() async throws {
        try await withApp { app in
            let lead = try await app.makeUser(.leadInspector)
            for _ in 0..<LoginThrottle.perAccount {
                let response = try await app.testing().sendRequest(
                    .POST, "/api/v1/tokens", headers: ["Content-Type": "application/json"],
                    body: json(["email": lead.email, "password": "not the password"]))
                #expect(response.status == .unauthorized)
            }
            let locked = try await app.testing().sendRequest(
                .POST, "/api/v1/tokens", headers: ["Content-Type": "application/json"],
                body: json(["email": lead.email, "password": testPassword]))
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("Too many failed sign-in attempts for this account"))
            var session = WebSession(app: app)
            let page = try await session.signIn(lead.email, testPassword)
            #expect(page.status == .tooManyRequests)
            #expect(page.text.contains("Too many failed sign-in attempts"))
        }
    }

    @Test func manyFailuresFromOneAddressLockThatAddress() async throws {
        try await withApp { app in
            for attempt in 0..<LoginThrottle.perAddress {
                _ = try await app.testing().sendRequest(
                    .POST, "/api/v1/tokens", headers: ["Content-Type": "application/json"],
                    body: json(["email": "guess\(attempt)@example.org", "password": "whatever it is"]))
            }
            let analyst = try await app.makeUser(.analyst)
            let blocked = try await app.testing().sendRequest(
                .POST, "/api/v1/tokens", headers: ["Content-Type": "application/json"],
                body: json(["email": analyst.email, "password": testPassword]))
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.text.contains("network address"))
        }
    }

    @Test func tokensAreShownOnceStoredHashedAndRevocable() async throws {
        try await withApp { app in
            let analyst = try await app.makeUser(.analyst)
            let created = try await app.testing().sendRequest(
                .POST, "/api/v1/tokens", headers: ["Content-Type": "application/json"],
                body: json(["email": analyst.email, "password": testPassword, "name": "dashboard", "expires_in_days": 7]))
            #expect(created.status == .created)
            let secret = try #require(created.object["token"] as? String)
            #expect(secret.hasPrefix("insp_"))
            let stored = try await APIToken.query(on: app.db).filter(\.$name == "dashboard").first()!
            #expect(stored.tokenHash != secret && stored.tokenHash == TokenService.hash(secret))
            let issuedAt = try #require(stored.createdAt)
            #expect(stored.expiresAt == issuedAt.addingTimeInterval(7 * 86_400), "seven days from the instant it was issued")
            let me = try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(secret)"])
            #expect(me.object["email"] as? String == analyst.email)
            let listed = try await app.testing().sendRequest(.GET, "/api/v1/tokens", headers: ["Authorization": "Bearer \(secret)"])
            #expect(listed.status == .ok && listed.text.contains("dashboard"), "the list is there")
            #expect(!listed.text.contains(secret), "the secret is never listed")
            let revoked = try await app.testing().sendRequest(
                .DELETE, "/api/v1/tokens/\(stored.id!)", headers: ["Authorization": "Bearer \(secret)"])
            #expect(revoked.status == .ok)
            let after = try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(secret)"])
            #expect(after.status == .unauthorized)
            #expect(after.errorCode == "unauthenticated")
            #expect((after.object["error"] as? [String: Any])?["message"] as? String == "The API token is unknown, expired or revoked")
        }
    }

    @Test func expiredTokensAndDisabledAccountsStopWorking() async throws {
        try await withApp { app in
            let analyst = try await app.makeUser(.analyst)
            let (token, secret) = try await TokenService.issue(
                for: analyst.user, name: "short", days: 1, maximumDays: 90, caller: app.commandLineCaller(), on: app.db)
            token.expiresAt = app.clock.now().addingTimeInterval(-1)
            try await token.save(on: app.db)
            #expect(
                try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(secret)"]).status
                    == .unauthorized)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: analyst.bearer).status == .ok)
            _ = try await UserService.update(
                analyst.user, with: UserChanges(active: false), expectedVersion: analyst.user.version, caller: app.commandLineCaller(),
                on: app.db)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: analyst.bearer).status == .unauthorized)
            let tooLong = try await app.testing().sendRequest(
                .POST, "/api/v1/tokens", headers: ["Content-Type": "application/json"],
                body: json(["email": "x@example.org", "password": "y", "expires_in_days": 0]))
            #expect(tooLong.status == .unauthorized, "credentials are checked before anything else is said")
        }
    }

    @Test func disablingAnAccountEndsItsWebSession() async throws {
        try await withApp { app in
            let inspector = try await app.makeUser(.inspector)
            var session = WebSession(app: app)
            _ = try await session.signIn(inspector.email, inspector.password)
            #expect(try await session.get("/organisations").status == .ok)
            _ = try await UserService.update(
                inspector.user, with: UserChanges(active: false), expectedVersion: inspector.user.version, caller: app.commandLineCaller(),
                on: app.db)
            #expect(try await session.get("/organisations").status == .seeOther)
        }
    }

    @Test func changingThePasswordEndsOtherSessionsAndRevokesTokens() async throws {
        try await withApp { app in
            let analyst = try await app.makeUser(.analyst)
            var phone = WebSession(app: app)
            _ = try await phone.signIn(analyst.email, analyst.password)
            var laptop = WebSession(app: app)
            _ = try await laptop.signIn(analyst.email, analyst.password)
            let short = try await laptop.post(
                "/account/password", form: ["current_password": testPassword, "new_password": "short", "confirm_password": "short"],
                from: "/account")
            #expect(short.status == .unprocessableEntity)
            #expect(short.text.contains(##"href="#new_password""##))
            let changed = try await laptop.post(
                "/account/password",
                form: [
                    "current_password": testPassword, "new_password": "a much better passphrase",
                    "confirm_password": "a much better passphrase",
                ], from: "/account")
            #expect(changed.status == .seeOther)
            #expect(try await laptop.get("/account").status == .ok, "the session that changed it carries on")
            #expect(try await phone.get("/account").status == .seeOther, "other sessions end")
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: analyst.bearer).status == .unauthorized)
            var fresh = WebSession(app: app)
            #expect(try await fresh.signIn(analyst.email, "a much better passphrase").status == .seeOther)
        }
    }

    @Test func tokensCanBeCreatedAndRevokedFromMyAccount() async throws {
        try await withApp { app in
            let member = try await app.makeUser(.organisationMember)
            var session = WebSession(app: app)
            _ = try await session.signIn(member.email, member.password)
            let created = try await session.post(
                "/account/tokens", form: ["name": "Force dashboard", "expires_in_days": "30"], from: "/account")
            #expect(created.status == .created)
            let secret = try #require(
                created.text.range(of: #"insp_[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(created.text[$0]) })
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(secret)"]).status == .ok)
            let again = try await session.get("/account")
            #expect(again.status == .ok && again.text.contains("Force dashboard"), "the account page lists the token")
            #expect(!again.text.contains(secret), "shown once")
            let token = try await APIToken.query(on: app.db).filter(\.$name == "Force dashboard").first()!
            let revoked = try await session.post("/account/tokens/\(token.id!)/revoke", form: [:], from: "/account")
            #expect(revoked.status == .seeOther)
            #expect(
                try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(secret)"]).status
                    == .unauthorized)
            let invalid = try await session.post("/account/tokens", form: ["name": "", "expires_in_days": "9999"], from: "/account")
            #expect(invalid.status == .unprocessableEntity)
        }
    }

    @Test func signInOnlyRedirectsWithinTheSite() {
        #expect(SignInRoutes.safeNext("/organisations?region=Wales") == "/organisations?region=Wales")
        #expect(SignInRoutes.safeNext("https://evil.example") == "/")
        #expect(SignInRoutes.safeNext("//evil.example") == "/")
        #expect(SignInRoutes.safeNext(nil) == "/")
    }
}
