import NIOConcurrencyHelpers

/// This application's writes. Each one committed through `Audit.transaction` is counted, so
/// a value the read cache kept before it is not served after it; and, on SQLite, writers
/// queue here one at a time rather than spinning in SQLite's busy handler. Owned by one
/// `Application`: nothing is shared between applications in a process.
final class WriteCoordinator: Sendable {
    private let count = NIOLockedValueBox<UInt64>(0)
    /// SQLite has one writer at a time; other processes (the command line) still wait on
    /// SQLite's own lock, and the audit chain's primary key stops any fork.
    let sqliteWriters = AsyncMutex()

    init() {}

    /// How many writes this application has committed (or attempted).
    var current: UInt64 { count.withLockedValue { $0 } }

    /// Marks a write: cached values read before it are no longer good.
    func advance() { count.withLockedValue { $0 &+= 1 } }
}

/// A first-come first-served lock for async code.
actor AsyncMutex {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if locked {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            locked = true
        }
        defer { release() }
        return try await body()
    }

    private func release() {
        if waiters.isEmpty { locked = false } else { waiters.removeFirst().resume() }
    }
}
