/// What went wrong, in the domain's words. Services and rules throw these (or, for bad
/// input, `FieldError` and `ValidationErrors`); each edge maps them once: the HTTP edge to
/// a status with JSON or a page, the command line to a sentence on standard error and an
/// exit status. Nothing here knows about HTTP.
public enum DomainError: Error, Sendable, Equatable {
    /// Absent, or hidden from this reader: the same words either way, so the answer never
    /// tells which. `what` names the kind of record ("cycle", "organisation in this cycle").
    case notFound(String)
    /// The reader may see the record but may not do this; `reason` says what role, state
    /// or vetting it needs ("Risk tiers are set by analysts and lead inspectors").
    case forbidden(reason: String, field: String? = nil)
    /// It clashes with a record that exists (a duplicate code or name).
    case conflict(field: String?, message: String)
    /// Someone changed the record after the caller loaded it. `current` is the record as it
    /// is now, as a domain value; the edge shows it only through the reader's own view of it.
    case stale(current: StaleRecord?)
    /// The workflow does not allow this now. `needed` lists what must happen first (the
    /// criteria still incomplete, the role that may do it).
    case refused(field: String?, message: String, needed: [String] = [])
    /// Not complete enough to move on: `missing` lists what still has to be done.
    case incomplete(field: String?, message: String, missing: [String])
    /// Too many attempts; try again later.
    case throttled(String)
    /// No valid sign-in or token.
    case unauthenticated(String)
    /// The process cannot do this at all (a database that is not SQL, a missing migration):
    /// an operator's problem, never the user's input. `detail` is for the log, not the user.
    case unavailable(detail: String)

    public static func == (lhs: DomainError, rhs: DomainError) -> Bool {
        String(describing: lhs) == String(describing: rhs)
    }
}

/// The record a stale write collided with, as it is now. The HTTP edge turns it into the
/// same representation a read would give this reader (marked text withheld as on a read).
public protocol StaleRecord: Sendable {}

extension DomainError: CustomStringConvertible {
    /// A plain sentence, for the command line and logs.
    public var description: String {
        switch self {
        case .notFound(let what): "No \(what) was found with that identifier"
        case .forbidden(let reason, _): reason
        case .conflict(_, let message): message
        case .stale: "Someone else changed this record after you loaded it; load it again and reapply your change"
        case .refused(_, let message, let needed):
            needed.isEmpty ? message : "\(message):\n" + needed.map { "  \($0)" }.joined(separator: "\n")
        case .incomplete(_, let message, let missing):
            missing.isEmpty ? message : "\(message):\n" + missing.map { "  \($0)" }.joined(separator: "\n")
        case .throttled(let message): message
        case .unauthenticated(let message): message
        case .unavailable(let detail): "The service cannot do this: \(detail)"
        }
    }
}
