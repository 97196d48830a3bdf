import Foundation
import InspectorateCore
import NIOConcurrencyHelpers
import Vapor

/// Who acts, when, and through which application: what every service that writes or reads
/// marked information is given. The audit trail records the who (with the vetting in force
/// at the time); the clock gives the when; `writes` tells this process's caches that
/// something changed.
struct Caller: Sendable {
    var userID: UUID?
    var email: String
    /// The vetting in force when the caller was made, as the trail records it.
    var vetting: String
    var requestID: String
    let clock: any WallClock
    let writes: WriteCoordinator
    /// What the trail recorded for this request, shared by every copy of a request's
    /// caller: the error responder records a denial only when nothing else did.
    var trail: RequestTrail? = nil

    /// The current instant, from the application's one clock.
    var now: Date { clock.now() }

    init(userID: UUID?, email: String, vetting: String, requestID: String, clock: any WallClock, writes: WriteCoordinator) {
        self.userID = userID
        self.email = email
        self.vetting = vetting
        self.requestID = requestID
        self.clock = clock
        self.writes = writes
    }

    /// `user`, as the trail sees them at `clock`'s instant.
    init(user: User, requestID: String, clock: any WallClock, writes: WriteCoordinator) {
        self.init(
            userID: user.id, email: user.email, vetting: user.vetting.effectiveLevel(at: clock.now()).rawValue, requestID: requestID,
            clock: clock, writes: writes)
    }

    /// The same caller acting as `user` (a sign-in that has just identified them).
    func acting(as user: User) -> Caller {
        var caller = Caller(user: user, requestID: requestID, clock: clock, writes: writes)
        caller.trail = trail
        return caller
    }
}

extension Application {
    /// The application itself, for what it does unasked (loading shipped data on first start).
    var systemCaller: Caller {
        Caller(userID: nil, email: "system", vetting: "n/a", requestID: "", clock: clock, writes: writes)
    }

    /// An operator at the command line, with a fresh request id for the trail.
    func commandLineCaller() -> Caller {
        Caller(
            userID: nil, email: "command line", vetting: "n/a", requestID: "cli-\(UUID().uuidString.prefix(8).lowercased())",
            clock: clock, writes: writes)
    }
}

extension Request {
    /// The signed-in user as the trail sees them, or an anonymous visitor (sign-in attempts).
    var caller: Caller {
        var caller =
            if let user = auth.get(User.self) {
                Caller(user: user, requestID: requestID, clock: application.clock, writes: application.writes)
            } else {
                Caller(
                    userID: nil, email: "", vetting: VettingLevel.none.rawValue, requestID: requestID, clock: application.clock,
                    writes: application.writes)
            }
        caller.trail = trail
        return caller
    }

    /// This request's record of what the trail holds for it.
    var trail: RequestTrail {
        if let known = storage[TrailKey.self] { return known }
        let trail = RequestTrail()
        storage[TrailKey.self] = trail
        return trail
    }

    private struct TrailKey: StorageKey { typealias Value = RequestTrail }

    /// The instant this request is decided at: read once from the clock, then kept, so
    /// every check in one request agrees.
    var now: Date {
        if let instant = storage[InstantKey.self] { return instant }
        let instant = application.clock.now()
        storage[InstantKey.self] = instant
        return instant
    }

    private struct InstantKey: StorageKey { typealias Value = Date }
}

/// Whether a request's denial is already in the audit trail.
final class RequestTrail: Sendable {
    private let recorded = NIOLockedValueBox(false)

    var deniedRecorded: Bool { recorded.withLockedValue { $0 } }
    func recordedDenial() { recorded.withLockedValue { $0 = true } }
}
