import Crypto
import Foundation

/// Lower-case hexadecimal, written byte by byte: `String(format:)` per byte cost more than
/// the rest of authenticating an API request. The one hex encoder.
public enum Hex {
    static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lower-case hex, two digits per byte.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends `\u00XX` for a control character inside a JSON string.
    public static func appendJSONEscape(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}

/// SHA-256 digests as the application stores and shows them.
public enum Digest {
    /// The SHA-256 of `data`, as 64 lower-case hex digits.
    public static func sha256(_ data: some DataProtocol) -> String {
        Hex.encode(SHA256.hash(data: data))
    }
}
