import Crypto
import Foundation

public enum AuditOutcome: String, CaseIterable, Codable, Sendable {
    case success
    case denied
    case failure
}

/// One entry of the tamper-evident audit trail. Its hash covers its canonical content and
/// the previous entry's hash, so altering, removing or reordering an entry breaks the chain.
public struct AuditEntry: Equatable, Sendable {
    public var seq: Int
    /// UTC, to the millisecond, as text: it round-trips exactly through any database.
    public var at: String
    public var actorID: UUID?
    public var actorEmail: String
    /// The actor's vetting in force at the time, not their vetting now.
    public var actorVetting: String
    public var action: String
    public var recordType: String
    public var recordID: String
    public var organisationID: UUID?
    public var outcome: AuditOutcome
    public var requestID: String
    public var detail: String
    public var previousHash: String
    public var hash: String

    public init(
        seq: Int, at: String, actorID: UUID?, actorEmail: String, actorVetting: String, action: String,
        recordType: String, recordID: String, organisationID: UUID?, outcome: AuditOutcome,
        requestID: String, detail: String, previousHash: String, hash: String = ""
    ) {
        self.seq = seq
        self.at = at
        self.actorID = actorID
        self.actorEmail = actorEmail
        self.actorVetting = actorVetting
        self.action = action
        self.recordType = recordType
        self.recordID = recordID
        self.organisationID = organisationID
        self.outcome = outcome
        self.requestID = requestID
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The hash of the entry before the first.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// A JSON array of strings: unambiguous whatever the fields contain. Written by hand
    /// (`JSONText`), so the hash never depends on a library's formatting.
    public var canonicalContent: Data {
        let fields: [String] = [
            String(seq), at, actorID?.uuidString.lowercased() ?? "", actorEmail, actorVetting, action, recordType, recordID,
            organisationID?.uuidString.lowercased() ?? "", outcome.rawValue, requestID, detail, previousHash,
        ]
        return Data(JSONText.array(of: fields))
    }

    public var computedHash: String {
        Digest.sha256(canonicalContent)
    }

    /// Fills in the hash once the content and the previous hash are set.
    public func sealed() -> AuditEntry {
        var entry = self
        entry.hash = computedHash
        return entry
    }

    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

/// The head of the chain at some moment, kept outside the database.
public struct AuditCheckpoint: Equatable, Sendable, CustomStringConvertible {
    public var count: Int
    public var hash: String

    public init(count: Int, hash: String) {
        self.count = count
        self.hash = hash
    }

    /// `COUNT:HASH`, as `inspectorate audit checkpoint` prints it.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":")
        guard parts.count == 2, let count = Int(parts[0]), count >= 0, parts[1].count == 64 else { return nil }
        self.init(count: count, hash: String(parts[1]).lowercased())
    }

    public var description: String { "\(count):\(hash)" }
}

public enum AuditChainProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case altered(seq: Int)
    case missing(expected: Int, found: Int)
    case reordered(seq: Int)
    case shorterThanCheckpoint(count: Int, checkpoint: Int)
    case checkpointMismatch(seq: Int)
    /// The chain ends before the head the database keeps (entries cut from the end, or all
    /// of them), or at an entry other than the head's.
    case truncated(count: Int, head: Int)
    case headMismatch(seq: Int)

    public var seq: Int {
        switch self {
        case .altered(let seq), .reordered(let seq), .checkpointMismatch(let seq), .headMismatch(let seq): seq
        case .missing(let expected, _): expected
        case .shorterThanCheckpoint(let count, _), .truncated(let count, _): count + 1
        }
    }

    public var description: String {
        switch self {
        case .altered(let seq): "entry \(seq) was altered: its content does not match its hash"
        case .missing(let expected, let found): "entry \(expected) is missing: the next entry is \(found)"
        case .reordered(let seq):
            "entry \(seq) does not follow the entry before it: entries were reordered, or one was removed and the rest renumbered"
        case .shorterThanCheckpoint(let count, let checkpoint):
            "entries are missing: the chain has \(count), the checkpoint recorded \(checkpoint)"
        case .checkpointMismatch(let seq): "entry \(seq) differs from the checkpoint: the chain was rewritten up to it"
        case .truncated(let count, let head):
            "entries were deleted from the end: the chain has \(count), the stored head records \(head) (entries \(count + 1)–\(head) are gone)"
        case .headMismatch(let seq): "entry \(seq) differs from the stored head: the newest entries were rewritten"
        }
    }
}

/// Walks the chain in order, one entry at a time, so any length can be verified in
/// constant memory.
public struct AuditChainVerifier: Sendable {
    public private(set) var count = 0
    public private(set) var headHash = AuditEntry.genesisHash
    private let checkpoint: AuditCheckpoint?
    /// The head the database keeps beside the entries (its count and newest hash).
    private let head: AuditCheckpoint?

    public init(checkpoint: AuditCheckpoint? = nil, head: AuditCheckpoint? = nil) {
        self.checkpoint = checkpoint
        self.head = head
    }

    /// The first problem with `entry`, given every entry before it.
    public mutating func check(_ entry: AuditEntry) -> AuditChainProblem? {
        let expected = count + 1
        if entry.seq > expected { return .missing(expected: expected, found: entry.seq) }
        if entry.seq < expected { return .reordered(seq: entry.seq) }
        if entry.computedHash != entry.hash { return .altered(seq: entry.seq) }
        if entry.previousHash != headHash { return .reordered(seq: entry.seq) }
        if let checkpoint, checkpoint.count == entry.seq, checkpoint.hash != entry.hash {
            return .checkpointMismatch(seq: entry.seq)
        }
        count = entry.seq
        headHash = entry.hash
        return nil
    }

    /// After the last entry: a chain cut short of the stored head or of the checkpoint lost
    /// entries at its end.
    public func finish() -> AuditChainProblem? {
        if let head {
            if count < head.count { return .truncated(count: count, head: head.count) }
            if count == head.count && headHash != head.hash { return .headMismatch(seq: count) }
            if count > head.count { return .headMismatch(seq: head.count + 1) }
        }
        if let checkpoint {
            if count < checkpoint.count { return .shorterThanCheckpoint(count: count, checkpoint: checkpoint.count) }
            if checkpoint.count == 0 && checkpoint.hash != AuditEntry.genesisHash { return .checkpointMismatch(seq: 0) }
        }
        return nil
    }
}
