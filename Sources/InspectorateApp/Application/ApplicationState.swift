import InspectorateCore
import Vapor

/// What `configure` gives the application and everything reads from it: the settings, the
/// one clock, the write coordinator, the marking scheme and the read cache. Set once by
/// `configure(_:settings:clock:)`; reading one before is a programming error.
extension Application {
    private struct SettingsKey: StorageKey { typealias Value = Settings }
    private struct ClockKey: StorageKey { typealias Value = any WallClock }
    private struct WritesKey: StorageKey { typealias Value = WriteCoordinator }
    private struct SchemeKey: StorageKey { typealias Value = MarkingScheme }
    private struct ReadCacheKey: StorageKey { typealias Value = ReadCache }

    public internal(set) var settings: Settings {
        get { configured(SettingsKey.self) }
        set { storage[SettingsKey.self] = newValue }
    }

    /// The one clock: the system's, or one a test sets.
    public internal(set) var clock: any WallClock {
        get { configured(ClockKey.self) }
        set { storage[ClockKey.self] = newValue }
    }

    var writes: WriteCoordinator {
        get { configured(WritesKey.self) }
        set { storage[WritesKey.self] = newValue }
    }

    /// The deployment's marking scheme, read once at start.
    var markingScheme: MarkingScheme {
        get { configured(SchemeKey.self) }
        set { storage[SchemeKey.self] = newValue }
    }

    var readCache: ReadCache {
        get { configured(ReadCacheKey.self) }
        set { storage[ReadCacheKey.self] = newValue }
    }

    private func configured<Key: StorageKey>(_ key: Key.Type) -> Key.Value {
        // Invariant, not input: `configure` stores every one of these before any route,
        // command or lifecycle handler can run.
        guard let value = storage[key] else { preconditionFailure("configure(_:settings:clock:) sets \(Key.self) first") }
        return value
    }
}

extension Request {
    var clock: any WallClock { application.clock }
    var markingScheme: MarkingScheme { application.markingScheme }
}
