import Foundation
import Testing

@testable import InspectorateCore

@Suite("Audit chain")
struct AuditChainTests {
    static func chain(_ count: Int) -> [AuditEntry] {
        var previous = AuditEntry.genesisHash
        return (1...count).map { seq in
            let entry = AuditEntry(
                seq: seq, at: "2026-11-29T06:00:0\(seq % 10).000Z", actorID: UUID(), actorEmail: "a@b.org",
                actorVetting: "sc", action: "document.read", recordType: "shared_document",
                recordID: "r\(seq)", organisationID: nil, outcome: .success, requestID: "req-\(seq)",
                detail: "", previousHash: previous
            ).sealed()
            previous = entry.hash
            return entry
        }
    }

    static func verify(_ entries: [AuditEntry], checkpoint: AuditCheckpoint? = nil) -> AuditChainProblem? {
        var verifier = AuditChainVerifier(checkpoint: checkpoint)
        for entry in entries { if let problem = verifier.check(entry) { return problem } }
        return verifier.finish()
    }

    @Test func anIntactChainVerifies() {
        let entries = Self.chain(5)
        #expect(Self.verify(entries) == nil)
        #expect(Self.verify(entries, checkpoint: AuditCheckpoint(count: 5, hash: entries[4].hash)) == nil)
        #expect(Self.verify(entries, checkpoint: AuditCheckpoint(count: 3, hash: entries[2].hash)) == nil)
    }

    @Test func anAlteredEntryIsNamed() {
        var entries = Self.chain(5)
        entries[2].detail = "nothing to see"
        #expect(Self.verify(entries) == .altered(seq: 3))
    }

    @Test func aRemovedEntryIsNamed() {
        var entries = Self.chain(5)
        entries.remove(at: 1)
        #expect(Self.verify(entries) == .missing(expected: 2, found: 3))
    }

    @Test func aRemovedAndRenumberedEntryIsCaught() {
        var entries = Self.chain(5)
        entries.remove(at: 1)
        // The forger renumbers and re-seals what follows, but cannot make the links agree.
        entries[1].seq = 2
        entries[1] = entries[1].sealed()
        #expect(Self.verify(entries) == .reordered(seq: 2))
    }

    @Test func reorderedEntriesAreCaught() {
        // Swapping the sequence numbers of two stored rows changes what their hashes cover.
        var swapped = Self.chain(4)
        (swapped[1].seq, swapped[2].seq) = (3, 2)
        #expect(Self.verify(swapped.sorted { $0.seq < $1.seq }) == .altered(seq: 2))
        // Re-sealing them to hide that still leaves the links to the previous entries wrong.
        var resealed = Self.chain(4)
        resealed.swapAt(1, 2)
        for index in resealed.indices { resealed[index].seq = index + 1; resealed[index] = resealed[index].sealed() }
        #expect(Self.verify(resealed) == .reordered(seq: 2))
    }

    @Test func entriesCutFromTheEndAreCaughtByTheCheckpoint() {
        let entries = Self.chain(5)
        let checkpoint = AuditCheckpoint(count: 5, hash: entries[4].hash)
        #expect(Self.verify(Array(entries.prefix(3))) == nil, "without a checkpoint a shorter chain looks whole")
        #expect(Self.verify(Array(entries.prefix(3)), checkpoint: checkpoint) == .shorterThanCheckpoint(count: 3, checkpoint: 5))
    }

    @Test func aRewrittenChainDiffersFromTheCheckpoint() {
        let original = Self.chain(3)
        let rewritten = Self.chain(3)
        #expect(Self.verify(rewritten, checkpoint: AuditCheckpoint(count: 3, hash: original[2].hash)) == .checkpointMismatch(seq: 3))
        #expect(AuditCheckpoint("3:\(original[2].hash)") == AuditCheckpoint(count: 3, hash: original[2].hash))
        #expect(AuditCheckpoint("3:abc") == nil)
    }

    @Test func theCanonicalFormIsUnambiguous() {
        var a = Self.chain(1)[0]
        var b = a
        a.action = "x"; a.recordType = "y,z"
        b.action = "x,y"; b.recordType = "z"
        #expect(a.computedHash != b.computedHash)
    }
}
