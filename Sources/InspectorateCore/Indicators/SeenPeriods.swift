import Foundation

/// Which periods have been given for each indicator and organisation: two 64-bit words per
/// pair, a window of 128 periods from the first one seen rounded down to a multiple of 64;
/// a period outside its window goes to a set.
struct SeenPeriods {
    private var base: [Int32]
    private var bits: [UInt64]
    private var outside: Set<Int> = []
    private static let none = Int32.min

    init(pairs: Int) {
        base = Array(repeating: Self.none, count: pairs)
        bits = Array(repeating: 0, count: pairs * 2)
    }

    /// Records `ordinal` for `pair`; false when it was recorded already.
    mutating func insert(pair: Int, ordinal: Int) -> Bool {
        if base[pair] == Self.none { base[pair] = Int32(clamping: (ordinal >> 6) << 6) }
        let offset = ordinal - Int(base[pair])
        guard offset >= 0 && offset < 128 else { return outside.insert(pair << 20 | ordinal).inserted }
        let word = pair * 2 + offset >> 6
        let mask: UInt64 = 1 << UInt64(offset & 63)
        if bits[word] & mask != 0 { return false }
        bits[word] |= mask
        return true
    }
}
