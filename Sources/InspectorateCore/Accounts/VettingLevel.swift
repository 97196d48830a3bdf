import Foundation

/// National security vetting, in increasing order of assurance (see DOMAIN.md).
/// BPSS is a baseline standard rather than a clearance, but it orders the same way.
public enum VettingLevel: String, CaseIterable, Codable, Sendable, Comparable {
    case none
    case bpss
    case ctc
    case sc
    case dv

    public var rank: Int {
        switch self {
        case .none: 0
        case .bpss: 1
        case .ctc: 2
        case .sc: 3
        case .dv: 4
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    public var displayName: String {
        switch self {
        case .none: "None"
        case .bpss: "BPSS (Baseline Personnel Security Standard)"
        case .ctc: "CTC (Counter-Terrorist Check)"
        case .sc: "SC (Security Check)"
        case .dv: "DV (Developed Vetting)"
        }
    }
}

/// A user's vetting as recorded: the level holds only between its granted and expiry dates.
public struct Vetting: Equatable, Sendable {
    public var level: VettingLevel
    public var granted: Date?
    public var expires: Date?

    public init(level: VettingLevel, granted: Date?, expires: Date?) {
        self.level = level
        self.granted = granted
        self.expires = expires
    }

    /// The level in force at `instant`: at and after expiry the user reads as unvetted.
    public func effectiveLevel(at instant: Date) -> VettingLevel {
        if let expires, instant >= expires { return .none }
        if let granted, instant < granted { return .none }
        return level
    }

    public func validate() throws {
        if level != .none && granted == nil {
            throw FieldError("vetting_granted", "Enter the date the vetting was granted")
        }
        if let granted, let expires, expires <= granted {
            throw FieldError("vetting_expires", "The expiry date must be after the date granted")
        }
    }
}
