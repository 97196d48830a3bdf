import Fluent
import InspectorateCore
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// What nearly every API request reads first, kept in memory: a token with its owner, and
/// encoded organisation lists. Correct across processes and instances because each
/// instance watches the audit trail's head (every write appends to it): when another
/// process has written, the cache is dropped (`refresh`, every
/// `INSPECTORATE_CACHE_REFRESH_MS`). Expiry dates (of tokens and of vetting) are checked
/// against the clock on every request, cached or not, so access still ends at the instant.
final class ReadCache: Sendable {
    private struct Entry<Value: Sendable>: Sendable {
        var generation: UInt64
        var value: Value
    }

    /// Enough for every token and list in use; past it the cache starts again.
    static let capacity = 10_000

    let enabled: Bool
    private let writes: WriteCoordinator
    private let tokens = NIOLockedValueBox<[String: Entry<CachedToken>]>([:])
    private let responses = NIOLockedValueBox<[String: Entry<ByteBuffer>]>([:])
    /// The audit head's sequence number last seen by `refresh`.
    private let head = NIOLockedValueBox<Int64?>(nil)
    fileprivate let refresher = NIOLockedValueBox<Task<Void, Never>?>(nil)

    /// - Parameter writes: the application's writes, whose count dates every cached value.
    init(enabled: Bool, writes: WriteCoordinator) {
        self.enabled = enabled
        self.writes = writes
    }

    /// The generation to tag a value with: read it before reading the database.
    var generation: UInt64 { writes.current }

    func token(hash: String) -> CachedToken? { lookup(tokens, hash) }

    func store(_ token: CachedToken, hash: String, generation: UInt64) { store(tokens, hash, token, generation) }

    func forgetToken(hash: String) { _ = tokens.withLockedValue { $0.removeValue(forKey: hash) } }

    func response(_ key: String) -> ByteBuffer? { lookup(responses, key) }

    func storeResponse(_ body: ByteBuffer, key: String, generation: UInt64) { store(responses, key, body, generation) }

    /// Drops everything if another process or instance has written since the last look.
    func refresh(on db: any Database) async throws {
        let row = try await db.sql.select().column("seq").from("audit_head").where("id", .equal, 1).first()
        let seq = try row?.decode(column: "seq", as: Int64.self)
        // The first look drops everything too: what was cached before it has no baseline.
        let changed = head.withLockedValue { seen in
            defer { seen = seq }
            return seen == nil || seen != seq
        }
        if changed { writes.advance() }
    }

    /// A JSON response from the cache, or made, encoded and kept under `key`. The key must
    /// name everything the response depends on besides the database (who asks, what filters).
    func respond<Body: Content>(_ key: String, for req: Request, make: () async throws -> Body) async throws -> Response {
        if let cached = cachedResponse(key) { return cached }
        var headers = HTTPHeaders()
        headers.contentType = .json
        let generation = self.generation
        let value = try await make()
        var body = ByteBufferAllocator().buffer(capacity: 0)
        try ContentConfiguration.global.requireEncoder(for: .json).encode(value, to: &body, headers: &headers)
        storeResponse(body, key: key, generation: generation)
        return Response(status: .ok, headers: headers, body: .init(buffer: body))
    }

    /// The JSON response kept under `key`, if it is still good.
    func cachedResponse(_ key: String) -> Response? {
        guard let body = response(key) else { return nil }
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: body))
    }

    private func lookup<Value>(_ box: NIOLockedValueBox<[String: Entry<Value>]>, _ key: String) -> Value? {
        guard enabled else { return nil }
        let current = writes.current
        return box.withLockedValue { entries in
            guard let entry = entries[key] else { return nil }
            if entry.generation == current { return entry.value }
            entries.removeValue(forKey: key)
            return nil
        }
    }

    private func store<Value>(_ box: NIOLockedValueBox<[String: Entry<Value>]>, _ key: String, _ value: Value, _ generation: UInt64) {
        guard enabled, generation == writes.current else { return }
        box.withLockedValue { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(generation: generation, value: value)
        }
    }
}

extension Request {
    var readCache: ReadCache { application.readCache }
}

extension ReadCache {
    /// Looks at the audit head every `INSPECTORATE_CACHE_REFRESH_MS` from now until the
    /// application shuts down, so writes by the command line or other instances reach this
    /// instance's cache. `serve` starts it; commands and tests, which serve nobody, call
    /// `refresh` themselves when they need it.
    func startRefreshing(_ app: Application) {
        let interval = app.settings.cacheRefreshMilliseconds
        guard enabled, interval > 0 else { return }
        refresher.withLockedValue { task in
            guard task == nil else { return }
            let db = app.db
            let logger = app.logger
            task = Task { [self] in
                while !Task.isCancelled {
                    do { try await refresh(on: db) } catch {
                        // Unsure what changed: drop everything rather than risk serving it.
                        writes.advance()
                        logger.warning("read cache refresh failed: \(String(reflecting: error))")
                    }
                    try? await Task.sleep(for: .milliseconds(interval))
                }
            }
        }
    }

    func stopRefreshing() async {
        let task = refresher.withLockedValue { task in
            defer { task = nil }; return task
        }
        task?.cancel()
        await task?.value
    }
}

/// Stops the watch when the application shuts down.
struct ReadCacheLifecycle: LifecycleHandler {
    func shutdownAsync(_ app: Application) async { await app.readCache.stopRefreshing() }
}

extension OrganisationScope {
    /// Who may see what, for keeping what they were shown in the read cache.
    var cacheKey: String {
        switch self {
        case .all: "all"
        case .only(let id): "only:\(id.uuidString)"
        case .nothing: "nothing"
        }
    }
}
