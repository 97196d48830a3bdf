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
/// commands asked to act "as of" a date.
public final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var instant: Date

    public init(_ instant: Date) { self.instant = instant }

    public func now() -> Date { lock.withLock { instant } }

    /// Moves the clock to `instant` (forwards or back).
    public func set(_ instant: Date) { lock.withLock { self.instant = instant } }

    /// Moves the clock on by `seconds`.
    public func advance(by seconds: TimeInterval) { lock.withLock { instant = instant.addingTimeInterval(seconds) } }
}
