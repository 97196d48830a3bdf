/// A CSV file as it arrives from the field, read in pieces: its encoding and separator
/// found from its first bytes, then every record handed on with its physical line.
///
/// Spreadsheets leave Excel as "CSV UTF-8" (with a byte-order mark), as semicolon-separated
/// CSV where the decimal mark is a comma, as "Unicode text" (UTF-16 with tabs), or as plain
/// "CSV" in Windows-1252 (ENGINEERING-NOTES, Files from the field). UTF-8 and UTF-16 are
/// read; anything that is not valid in its encoding is refused, naming the line and saying
/// how to save the file, so no replacement character is ever stored.
public struct CSVInput {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf16LittleEndian = "UTF-16 (little-endian)"
        case utf16BigEndian = "UTF-16 (big-endian)"
    }

    /// The separators a file may use, in order of preference when a header has none.
    public static let separators: [UInt8] = [0x2C, 0x3B, 0x09]

    public private(set) var encoding: Encoding = .utf8
    /// The separator in use, once the first line has been seen.
    public var separator: UInt8? { reader?.separator }

    private var reader: CSVStreamReader?
    /// Bytes held until the first line is complete (to find the separator) or until a
    /// character split across pieces is whole.
    private var pending: [UInt8] = []
    private var sniffed = false
    private var validator = UTF8Validator()
    private let forcedSeparator: UInt8?

    /// - Parameter separator: a separator to use instead of finding one.
    public init(separator: UInt8? = nil) {
        forcedSeparator = separator
    }

    /// Reads the next piece of the file, calling `record` for each record completed.
    /// - Throws: `CSVStreamReader.Malformed` naming the line, for bytes that are not text in
    ///   the file's encoding or a quoted field left open.
    public mutating func read(_ piece: UnsafeBufferPointer<UInt8>, record: (CSVRecord) throws -> Void) throws {
        pending.append(contentsOf: piece)
        if !sniffed {
            guard let start = try detectEncoding() else { return }
            pending.removeFirst(start)
            sniffed = true
        }
        try pass(final: false, record)
    }

    /// Ends the file.
    public mutating func finish(record: (CSVRecord) throws -> Void) throws {
        if !sniffed {
            let start = try detectEncoding(final: true) ?? 0
            pending.removeFirst(min(start, pending.count))
            sniffed = true
        }
        try pass(final: true, record)
        if reader == nil { reader = CSVStreamReader(separator: forcedSeparator ?? Self.separators[0]) }
        try reader?.finish(record: record)
    }

    /// Decodes what is pending to UTF-8 and feeds the reader, keeping back an incomplete
    /// character (and, until the separator is known, an incomplete first line).
    private mutating func pass(final: Bool, _ record: (CSVRecord) throws -> Void) throws {
        var utf8: [UInt8]
        switch encoding {
        case .utf8:
            let complete = final ? pending.count : UTF8Validator.completePrefix(pending)
            utf8 = Array(pending[..<complete])
            pending.removeFirst(complete)
            try validator.check(utf8, final: final)
        case .utf16LittleEndian, .utf16BigEndian:
            let (decoded, used) = try UTF16Transcoder.transcode(
                pending, littleEndian: encoding == .utf16LittleEndian, final: final,
                line: validator.line)
            utf8 = decoded
            pending.removeFirst(used)
            validator.countLines(utf8)
        }
        if reader == nil {
            pendingFirstLine.append(contentsOf: utf8)
            guard final || Self.firstLineEnd(pendingFirstLine) != nil else { return }
            reader = CSVStreamReader(separator: forcedSeparator ?? Self.detectSeparator(pendingFirstLine))
            utf8 = pendingFirstLine
            pendingFirstLine = []
        }
        try utf8.withUnsafeBufferPointer { try reader?.read($0, record: record) }
    }

    private var pendingFirstLine: [UInt8] = []

    /// Where the text starts after any byte-order mark, once enough bytes have come to tell.
    private mutating func detectEncoding(final: Bool = false) throws -> Int? {
        if pending.count < 3 && !final { return nil }
        if pending.starts(with: [0xEF, 0xBB, 0xBF]) { encoding = .utf8; return 3 }
        if pending.starts(with: [0xFF, 0xFE]) { encoding = .utf16LittleEndian; return 2 }
        if pending.starts(with: [0xFE, 0xFF]) { encoding = .utf16BigEndian; return 2 }
        // UTF-16 without a mark: a zero byte beside every ASCII character.
        if pending.count >= 4, pending[1] == 0, pending[3] == 0, pending[0] != 0 { encoding = .utf16LittleEndian; return 0 }
        if pending.count >= 4, pending[0] == 0, pending[2] == 0, pending[1] != 0 { encoding = .utf16BigEndian; return 0 }
        encoding = .utf8
        return 0
    }

    /// "commas", "semicolons" or "tabs": for messages about a header that was not understood.
    public static func describe(separator: UInt8?) -> String {
        switch separator {
        case 0x3B: "semicolons"
        case 0x09: "tabs"
        default: "commas"
        }
    }

    /// The end of the first record, outside quotes, if it has come.
    static func firstLineEnd(_ bytes: [UInt8]) -> Int? {
        var quoted = false
        for (index, byte) in bytes.enumerated() {
            if byte == 0x22 { quoted.toggle() } else if !quoted && (byte == 0x0A || byte == 0x0D) { return index }
        }
        return nil
    }

    /// The separator the header line uses most, outside quotes; a comma when it has none.
    static func detectSeparator(_ bytes: [UInt8]) -> UInt8 {
        let end = firstLineEnd(bytes) ?? bytes.count
        var counts: [UInt8: Int] = [:]
        var quoted = false
        for byte in bytes[..<end] {
            if byte == 0x22 { quoted.toggle() } else if !quoted && separators.contains(byte) { counts[byte, default: 0] += 1 }
        }
        return separators.max {
            (counts[$0] ?? 0, -(separators.firstIndex(of: $0) ?? 0)) < (counts[$1] ?? 0, -(separators.firstIndex(of: $1) ?? 0))
        }
        .flatMap { (counts[$0] ?? 0) > 0 ? $0 : nil } ?? separators[0]
    }
}

/// Checks UTF-8 as it streams past, counting lines so a bad byte is reported where it is.
struct UTF8Validator {
    private(set) var line = 1

    mutating func countLines(_ bytes: [UInt8]) {
        for byte in bytes where byte == 0x0A { line += 1 }
    }

    /// - Throws: `Malformed` at the line of the first byte that is not UTF-8.
    mutating func check(_ bytes: [UInt8], final: Bool) throws {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == 0x0A { line += 1 }
                index += 1
                continue
            }
            let length = Self.sequenceLength(byte)
            guard length > 0, index + length <= bytes.count,
                (1..<length).allSatisfy({ bytes[index + $0] & 0xC0 == 0x80 }),
                String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil
            else {
                let hex = Hex.encode([byte]).uppercased()
                let windows =
                    byte >= 0xA0 ? " (in Windows-1252, as Excel's plain \"CSV\" writes, it would be \"\(Self.windows1252(byte))\")" : ""
                throw CSVStreamReader.Malformed(
                    line: line,
                    message:
                        "the file is not UTF-8: byte 0x\(hex) on this line is not UTF-8 text\(windows); save it as \"CSV UTF-8\" and import it again"
                )
            }
            index += length
        }
    }

    /// How many bytes of `bytes` end on a character boundary (the rest wait for the next piece).
    static func completePrefix(_ bytes: [UInt8]) -> Int {
        var index = bytes.count
        var back = 0
        while index > 0 && back < 4 {
            index -= 1
            back += 1
            let byte = bytes[index]
            if byte & 0xC0 != 0x80 {
                let length = sequenceLength(byte)
                return length > back ? index : bytes.count
            }
        }
        return bytes.count
    }

    static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0x00..<0x80: 1
        case 0xC2..<0xE0: 2
        case 0xE0..<0xF0: 3
        case 0xF0..<0xF5: 4
        default: 0
        }
    }

    static func windows1252(_ byte: UInt8) -> String {
        String(Character(Unicode.Scalar(byte)))
    }
}

/// UTF-16 to UTF-8, a piece at a time.
enum UTF16Transcoder {
    /// - Returns: the UTF-8 and how many input bytes it used (an odd byte or half a
    ///   surrogate pair waits for the next piece).
    static func transcode(_ bytes: [UInt8], littleEndian: Bool, final: Bool, line: Int) throws -> ([UInt8], Int) {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = 0
        while index + 1 < bytes.count {
            let unit =
                littleEndian ? UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8 : UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
            units.append(unit)
            index += 2
        }
        if !final, let last = units.last, UTF16.isLeadSurrogate(last) {
            units.removeLast()
            index -= 2
        }
        if final && index < bytes.count {
            throw CSVStreamReader.Malformed(
                line: line, message: "the file ends in the middle of a UTF-16 character; save it as \"CSV UTF-8\" and import it again")
        }
        guard let text = String(validating: units, as: UTF16.self) else {
            throw CSVStreamReader.Malformed(
                line: line, message: "the file is not valid UTF-16 text; save it as \"CSV UTF-8\" and import it again")
        }
        return (Array(text.utf8), index)
    }
}
