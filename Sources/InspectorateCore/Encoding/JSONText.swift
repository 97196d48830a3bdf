/// JSON strings written byte by byte: for the audit trail's canonical form (whose hash must
/// never depend on a library's formatting) and for bulk statements that send thousands of
/// rows as one JSON parameter. The escapes are those of Foundation's `JSONSerialization`
/// with `.withoutEscapingSlashes`, which earlier entries of the audit chain were hashed with.
public enum JSONText {
    /// Appends `text` as a quoted, escaped JSON string.
    public static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0x08: bytes.append(contentsOf: [0x5C, 0x62])
            case 0x0C: bytes.append(contentsOf: [0x5C, 0x66])
            case 0x00..<0x20: Hex.appendJSONEscape(byte, to: &bytes)
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }

    /// `["a","b"]`: an array of strings, no spaces.
    public static func array(of strings: [String]) -> [UInt8] {
        var bytes: [UInt8] = [0x5B]
        for (index, text) in strings.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            appendString(text, to: &bytes)
        }
        bytes.append(0x5D)
        return bytes
    }

    /// `{"a":"x","b":"y"}` with keys sorted.
    public static func encode(_ values: [String: String]) -> String {
        var bytes: [UInt8] = [0x7B]
        for (index, (key, value)) in values.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { bytes.append(0x2C) }
            appendString(key, to: &bytes)
            bytes.append(0x3A)
            appendString(value, to: &bytes)
        }
        bytes.append(0x7D)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `{"a":1,"b":2}` with keys sorted: how area levels are stored.
    public static func object(of levels: [String: Int]) -> String {
        var bytes: [UInt8] = [0x7B]
        for (index, (key, value)) in levels.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { bytes.append(0x2C) }
            appendString(key, to: &bytes)
            bytes.append(0x3A)
            bytes.append(contentsOf: String(value).utf8)
        }
        bytes.append(0x7D)
        return String(decoding: bytes, as: UTF8.self)
    }
}
