import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

@Suite("JSON written by hand")
struct JSONTextTests {
    static let alphabet: [String] = ["a", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{0}", "\u{1f}", "é", "✓", " ", "𝄞"]

    /// The audit chain's earlier entries were hashed over Foundation's output: the hand-written
    /// form must be byte for byte the same.
    @Test func arraysOfStringsAreWrittenAsFoundationWritesThem() async {
        let strings = Gen.int(in: 0...(Self.alphabet.count - 1)).array(of: 0...6).array(of: 0...5)
        await propertyCheck(count: 300, input: strings) { indexes in
            let fields = indexes.map { $0.map { Self.alphabet[$0] }.joined() }
            let foundation = try JSONSerialization.data(withJSONObject: fields, options: [.withoutEscapingSlashes])
            #expect(Data(JSONText.array(of: fields)) == foundation)
        }
    }

    @Test func areaLevelsAreAnObjectWithSortedKeys() {
        #expect(JSONText.object(of: ["strategy": 3, "delivery": 2]) == #"{"delivery":2,"strategy":3}"#)
        #expect(JSONText.object(of: [:]) == "{}")
    }

    @Test func hexIsLowerCaseTwoDigitsPerByte() {
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Digest.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
