import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

@Suite("Funding: the radix sort gives the comparison sort's order")
struct FundingRadixSortTests {
    /// Above and below the threshold, with many ties (keys drawn from a few values) and with
    /// keys spread over all 64 bits, against a plain sort on (key, position).
    @Test func sameOrderAsSortingKeyThenPosition() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...6_000), Gen.int(in: 1...64), Gen.int(in: 0...Int(Int32.max))) {
            count, spread, seed in
            var generator = SplitMix64(seed: UInt64(seed))
            let keys: [UInt64] = (0..<count).map { _ in
                spread < 8 ? UInt64.random(in: 0...UInt64(spread), using: &generator) : generator.next() >> UInt64(64 - spread)
            }
            let expected = keys.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
            #expect(RadixSort.order(keys).map { Int($0) } == expected)
        }
    }

    @Test func positiveDoublesSortAsTheirBits() {
        let values = [3.5, 1e-300, 2.0, 1e300, 0.1, 2.0000000000000004, 7.0]
        let order = RadixSort.order(values.map(\.bitPattern)).map { values[Int($0)] }
        #expect(order == [1e-300, 0.1, 2.0, 2.0000000000000004, 3.5, 7.0, 1e300])
    }
}
