import Foundation

/// How settled a figure is. Stored by raw value; never rename a case's raw value.
public enum ValueStatus: String, CaseIterable, Codable, Sendable {
    /// First published; may change when late returns come in.
    case provisional
    /// Settled for the period.
    case final
    /// Changed after it was first given; the change carries a note saying why.
    case revised

    public var displayName: String { rawValue.capitalized }

    /// The status written in `bytes`, in any case (`final`, `Final`), or nil; no String is made.
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        for status in Self.allCases {
            let name = status.rawValue.utf8
            // ASCII letters only: setting bit 0x20 lower-cases them.
            if name.count == bytes.count && zip(name, bytes).allSatisfy({ $0 == $1 | 0x20 }) {
                self = status
                return
            }
        }
        return nil
    }
}

/// Which value a figure is: one indicator, one organisation, one period.
public struct ValueKey: Hashable, Sendable, Codable {
    public var indicator: String
    public var organisation: String
    public var period: ReportingPeriod

    public init(indicator: String, organisation: String, period: ReportingPeriod) {
        self.indicator = indicator
        self.organisation = organisation
        self.period = period
    }
}

/// One organisation's figure for one indicator and period. No field holds anything about a
/// person: the figure is a number in the indicator's unit, and the note is about the figure
/// (why it was revised), checked for length only.
public struct IndicatorValue: Equatable, Sendable, Codable {
    public var key: ValueKey
    public var value: Double
    public var status: ValueStatus
    /// Why the value was revised, or a remark on the figure; nil when none.
    public var note: String?

    public init(key: ValueKey, value: Double, status: ValueStatus, note: String? = nil) {
        self.key = key
        self.value = value
        self.status = status
        self.note = note
    }

    public var indicator: String { key.indicator }
    public var organisation: String { key.organisation }
    public var period: ReportingPeriod { key.period }
}

/// A value already held, as an import needs to know it.
public struct ExistingValue: Equatable, Sendable {
    public var value: Double
    public var status: ValueStatus

    public init(value: Double, status: ValueStatus) {
        self.value = value
        self.status = status
    }
}

/// What a good import row does to what is held.
public enum ValueChange: Equatable, Sendable {
    /// No value was held for the key.
    case new
    /// The same value is held; only the status may move on (provisional to final).
    case unchanged
    /// A different value is held: a revision, which needs a note.
    case revision(previous: Double)
}

/// The longest note a value may carry, in characters: enough for a reason, too short for
/// a case history.
public let valueNoteMaximumLength = 500
