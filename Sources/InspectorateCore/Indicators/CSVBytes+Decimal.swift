import Foundation

extension CSVBytes {
    /// Exact powers of ten as doubles (10^0 … 10^22 are all exactly representable).
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// A number written in plain decimal notation: an optional sign, digits, and an optional
    /// fraction (`42`, `-3`, `12.5`, `0.25`, `.5`); nil for anything else, including
    /// exponents, `%`, thousands separators, `nan` and `inf`. The result is the nearest
    /// double, as `Double(String)` gives: up to 15 significant digits it is computed from the
    /// bytes (an exact integer divided by an exact power of ten is correctly rounded), past
    /// that through `Double(String)`.
    public static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = bytes.startIndex
        let end = bytes.endIndex
        var negative = false
        if index < end, bytes[index] == 0x2D || bytes[index] == 0x2B { negative = bytes[index] == 0x2D; index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var significant = 0
        var fractionDigits = 0
        var seenPoint = false
        while index < end {
            let byte = bytes[index]
            if byte == 0x2E {
                if seenPoint { return nil }
                seenPoint = true
            } else {
                let digit = UInt64(byte &- 0x30)
                guard byte >= 0x30, digit <= 9 else { return nil }
                digits += 1
                if significant > 0 || digit != 0 { significant += 1 }
                if significant <= 18 { mantissa = mantissa &* 10 &+ digit }
                if seenPoint { fractionDigits += 1 }
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        if significant <= 15 && fractionDigits <= 22 {
            let magnitude = Double(mantissa) / powersOfTen[fractionDigits]
            return negative ? -magnitude : magnitude
        }
        // Long numbers: the bytes were checked above, so this is plain decimal text.
        return Double(String(decoding: bytes, as: UTF8.self))
    }
}
