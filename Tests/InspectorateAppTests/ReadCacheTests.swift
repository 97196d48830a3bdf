import Fluent
import Foundation
import InspectorateCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

/// The per-instance cache of tokens and lists: a change made here is seen at once, a
/// change made by another process once the instance has looked at the audit head, and
/// expiry dates are checked against the clock whatever the cache holds.
@Suite("Read cache")
struct ReadCacheTests {
    /// What another process or instance does: change rows, and append to the audit trail
    /// (as every write there does), without this process knowing.
    func writeElsewhere(_ app: Application, _ statement: SQLQueryString) async throws {
        let sql = app.db as! any SQLDatabase
        try await sql.raw(statement).run()
        try await sql.raw(#"UPDATE "audit_head" SET "seq" = "seq" + 1 WHERE "id" = 1"#).run()
    }

    @Test func changesByOtherProcessesArriveWhenTheInstanceLooks() async throws {
        try await withApp { app in
            let analyst = try await app.makeUser(.analyst)
            try await app.readCache.refresh(on: app.db)
            let before = try await app.testing().sendRequest(.GET, "/api/v1/organisations", headers: analyst.bearer)
            #expect(before.status == .ok && before.object["count"] as? Int == 46)

            try await writeElsewhere(
                app,
                """
                INSERT INTO "organisations" ("id", "code", "name", "kind", "country", "version", "created_at", "updated_at")
                VALUES (\(bind: UUID()), 'elsewhere-council', 'Elsewhere Council', 'partner_body', 'England', 1, \(bind: app.clock.now()), \(bind: app.clock.now()))
                """)
            try await app.readCache.refresh(on: app.db)
            let after = try await app.testing().sendRequest(.GET, "/api/v1/organisations", headers: analyst.bearer)
            #expect(after.object["count"] as? Int == 47, "the list made before the other process wrote is not served")

            try await writeElsewhere(app, #"UPDATE "users" SET "active" = \#(bind: false) WHERE "id" = \#(bind: analyst.user.requireID())"#)
            try await app.readCache.refresh(on: app.db)
            let disabled = try await app.testing().sendRequest(.GET, "/api/v1/organisations", headers: analyst.bearer)
            #expect(disabled.status == .unauthorized, "a token whose owner was disabled elsewhere stops working")
        }
    }

    @Test func changesMadeHereAreSeenByTheNextRequest() async throws {
        try await withApp { app in
            let cast = try await app.makeCast()
            let analyst = cast["analyst"]!
            #expect(
                try await app.testing().sendRequest(.GET, "/api/v1/organisations?region=Wales", headers: analyst.bearer).object["count"]
                    as? Int == 4)
            let created = try await app.testing().sendRequest(
                .POST, "/api/v1/organisations", headers: .bearer(cast["administrator"]!, json: true),
                body: json(["name": "Cardiff Council", "region": "Wales"]))
            #expect(created.status == .created)
            #expect(
                try await app.testing().sendRequest(.GET, "/api/v1/organisations?region=Wales", headers: analyst.bearer).object["count"]
                    as? Int == 5)
            // Each viewer is shown only what they may see, cached or not.
            let member = cast["member-of-metropolitan"]!
            for _ in 0..<2 {
                let own = try await app.testing().sendRequest(.GET, "/api/v1/organisations", headers: member.bearer)
                #expect((own.object["organisations"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["metropolitan"])
            }
        }
    }

    @Test func aCachedTokenStillEndsAtItsExpiry() async throws {
        try await withApp { app in
            let analyst = try await app.makeUser(.analyst)
            // A cache with its own count of writes: tests running alongside write too.
            let cache = ReadCache(enabled: true, writes: WriteCoordinator())
            let hash = TokenService.hash(analyst.token)
            let expires = app.clock.now().addingTimeInterval(60)
            try await APIToken.query(on: app.db).filter(\.$tokenHash == hash).set(\.$expiresAt, to: expires).update()
            // The first use records the time of use and so reads afresh; the second is kept.
            for _ in 0..<2 {
                #expect(try await TokenService.user(forSecret: analyst.token, now: app.clock.now(), cache: cache, on: app.db) != nil)
            }
            let held = try #require(cache.token(hash: hash), "the token is held")
            #expect(abs(held.expires.timeIntervalSince(expires)) < 0.001)
            // Decided from the cache alone (no database), to the instant.
            let before = TokenService.cachedUser(forSecret: analyst.token, now: held.expires.addingTimeInterval(-0.001), cache: cache)
            #expect(before.map { $0 != nil } == true, "still good a millisecond before")
            let at = TokenService.cachedUser(forSecret: analyst.token, now: held.expires, cache: cache)
            #expect(at.map { $0 == nil } == true, "refused at the instant it expires")
        }
    }
}
