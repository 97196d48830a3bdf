import Foundation

/// The one source of the current instant. Everything that turns on time (vetting expiry,
/// deadlines, reminders, embargoes, session and token lifetimes, audit timestamps) asks
/// the clock it was given; tests give one set to any instant.
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The system's clock, for running for real.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that shows the instant it was set to until it is moved: for tests, and for
/// commands asked to act "as of" a date. With a `tick`, each reading moves it on by that
/// much after answering, so that things done one after another are stamped in order, as
/// they would be by a real clock.
public final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var instant: Date
    private let tick: TimeInterval

    /// - Parameters:
    ///   - instant: what the clock shows first.
    ///   - tick: seconds added after each reading (0: the clock stands still).
    public init(_ instant: Date, tick: TimeInterval = 0) {
        self.instant = instant
        self.tick = tick
    }

    public func now() -> Date {
        lock.withLock {
            defer { instant = instant.addingTimeInterval(tick) }
            return instant
        }
    }

    /// Moves the clock to `instant` (forwards or back).
    public func set(_ instant: Date) { lock.withLock { self.instant = instant } }

    /// Moves the clock on by `seconds`.
    public func advance(by seconds: TimeInterval) { lock.withLock { instant = instant.addingTimeInterval(seconds) } }
}
