import Foundation
import Testing
import Vapor
import VaporTesting
import Fluent
import SQLKit
@testable import InspectorateApp
import InspectorateCore

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

            try await writeElsewhere(app, """
                INSERT INTO "organisations" ("id", "code", "name", "kind", "country", "version", "created_at", "updated_at")
                VALUES (\(bind: UUID()), 'elsewhere-council', 'Elsewhere Council', 'partner_body', 'England', 1, \(bind: Date()), \(bind: Date()))
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
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/organisations?region=Wales", headers: analyst.bearer).object["count"] as? Int == 4)
            let created = try await app.testing().sendRequest(.POST, "/api/v1/organisations", headers: .bearer(cast["administrator"]!, json: true),
                                                              body: json(["name": "Cardiff Council", "region": "Wales"]))
            #expect(created.status == .created)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/organisations?region=Wales", headers: analyst.bearer).object["count"] as? Int == 5)
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
            let cache = app.readCache
            let hash = TokenService.hash(analyst.token)
            // The first use records the time and reads afresh; writes by tests running
            // alongside may drop the entry too, so use the token until its row is held.
            for _ in 0..<20 where cache.token(hash: hash) == nil {
                #expect(try await TokenService.user(forSecret: analyst.token, cache: cache, on: app.db) != nil)
            }
            let expires = try #require(cache.token(hash: hash), "the token's row is cached").expires
            #expect(try await TokenService.user(forSecret: analyst.token, now: expires.addingTimeInterval(-0.001), cache: cache, on: app.db) != nil)
            #expect(try await TokenService.user(forSecret: analyst.token, now: expires, cache: cache, on: app.db) == nil)
        }
    }
}
