/// Output text built as UTF-8 bytes: a report of 200,000 rows × 20 fields appends four
/// million pieces, and String's own appends (with interpolation and a String per number)
/// cost a third of the command's time. Numbers that are not pounds are written as Swift
/// describes a Double: the shortest text that reads back as the same value.
struct TextBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func literal(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func text(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func byte(_ byte: UInt8) { bytes.append(byte) }

    mutating func bytes(_ more: [UInt8]) { bytes.append(contentsOf: more) }

    /// Decimal digits, with a minus sign when negative.
    mutating func integer(_ value: Int) {
        if value < 0 { bytes.append(0x2D) }
        var magnitude = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30)
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// A finite Double as Swift describes it; `absent` for NaN or infinity (never produced here).
    mutating func double(_ value: Double, absent: StaticString) {
        if value.isFinite { text(value.description) } else { literal(absent) }
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Hands the text so far to `sink` once it passes 64 KiB, so that a large report is
    /// written in pieces instead of held whole.
    mutating func flush(to sink: (String) -> Void, force: Bool = false) {
        guard force ? !bytes.isEmpty : bytes.count >= 1 << 16 else { return }
        sink(string)
        bytes.removeAll(keepingCapacity: true)
    }
}
