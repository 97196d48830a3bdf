/// One record of a CSV file: its fields as bytes, and the line of the file it starts on.
/// Valid only inside the callback that receives it; take what is needed as values.
public struct CSVRecord {
    /// Line of the file (from 1) on which the record starts; a quoted field may run on.
    public let line: Int
    fileprivate let bytes: UnsafeBufferPointer<UInt8>
    fileprivate let ends: UnsafeBufferPointer<Int>

    public var count: Int { ends.count }

    /// The bytes of field `index`, quotes removed and doubled quotes undone.
    public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[index]])
    }

    public func string(_ index: Int) -> String { String(decoding: self[index], as: UTF8.self) }

    /// A record with no text in any field (a blank line, or only commas).
    public var isBlank: Bool {
        (0..<count).allSatisfy { CSVBytes.trimmed(self[$0]).isEmpty }
    }
}

/// Reads CSV (RFC 4180: fields separated by a comma, or the separator given, optionally in
/// double quotes, a quote in a quoted field doubled, records ended by LF or CRLF) from
/// UTF-8 bytes that arrive in pieces, so a file of millions of rows is read in constant
/// memory. Every import reads through this (via `CSVInput`, which also finds the file's
/// encoding and separator), so line numbers are always the file's physical lines.
public struct CSVStreamReader {
    public struct Malformed: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    private var field: [UInt8] = []
    private var ends: [Int] = []
    private var inQuotes = false
    /// A quote was just read inside a quoted field: either the field's end or the first of a pair.
    private var quotePending = false
    /// Whether anything of the current record has been read (so that a final record without
    /// a newline is still a record, and an empty file has none).
    private var recordStarted = false
    private var afterCR = false
    private var line = 1
    private var recordLine = 1
    private var atFileStart = true
    /// Bytes of a possible byte-order mark held back until it is known whether it is one.
    private var bomSeen = 0

    /// The byte between fields: a comma unless the file uses another.
    public let separator: UInt8

    public init(separator: UInt8 = 0x2C) {
        self.separator = separator
        field.reserveCapacity(1 << 12)
        ends.reserveCapacity(16)
    }

    /// Reads the next piece of the file and calls `record` for each record completed in it.
    /// Call `finish` after the last piece.
    public mutating func read(_ piece: UnsafeBufferPointer<UInt8>, record: (CSVRecord) throws -> Void) throws {
        var index = piece.startIndex
        if atFileStart {
            // A byte-order mark, as spreadsheet programs write, is not part of the first field.
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            while bomSeen < 3, index < piece.endIndex {
                if piece[index] == bom[bomSeen] { bomSeen += 1; index += 1; continue }
                // Not a mark after all: what was held back is data.
                for byte in bom.prefix(bomSeen) { try consume(byte, record) }
                bomSeen = 3
            }
            if bomSeen < 3 { return }
            atFileStart = false
        }
        while index < piece.endIndex {
            let byte = piece[index]
            index += 1
            if !inQuotes && !quotePending && byte != 0x22 && byte != separator && byte != 0x0A && byte != 0x0D && !afterCR {
                // Most bytes are plain field text: take a run of them at once.
                var end = index
                while end < piece.endIndex {
                    let next = piece[end]
                    if next == 0x22 || next == separator || next == 0x0A || next == 0x0D { break }
                    end += 1
                }
                field.append(contentsOf: UnsafeBufferPointer(rebasing: piece[(index - 1)..<end]))
                recordStarted = true
                index = end
                continue
            }
            try consume(byte, record)
        }
    }

    /// Ends the file: the last record may have no newline after it.
    public mutating func finish(record: (CSVRecord) throws -> Void) throws {
        if atFileStart && bomSeen > 0 && bomSeen < 3 {
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            for byte in bom.prefix(bomSeen) { try consume(byte, record) }
        }
        if quotePending { quotePending = false; inQuotes = false }
        if inQuotes { throw Malformed(line: recordLine, message: "a quoted field is not closed before the end of the file") }
        if recordStarted || !ends.isEmpty { try emit(record) }
    }

    private mutating func consume(_ byte: UInt8, _ record: (CSVRecord) throws -> Void) throws {
        if afterCR {
            afterCR = false
            if byte == 0x0A { return }  // CRLF: the record already ended at CR
        }
        if quotePending {
            quotePending = false
            if byte == 0x22 { field.append(0x22); return }  // "" inside quotes
            inQuotes = false
        }
        if inQuotes {
            if byte == 0x22 { quotePending = true; return }
            if byte == 0x0A { line += 1 }
            field.append(byte)
            return
        }
        switch byte {
        case 0x22:
            // A quote opens a quoted field only at the field's start; elsewhere it is text.
            if fieldIsEmpty { inQuotes = true; recordStarted = true } else { field.append(byte) }
        case separator:
            ends.append(field.count)
            recordStarted = true
        case 0x0A, 0x0D:
            if byte == 0x0D { afterCR = true }
            try emit(record)
            line += 1
            recordLine = line
        default:
            field.append(byte)
            recordStarted = true
        }
    }

    private var fieldIsEmpty: Bool { field.count == (ends.last ?? 0) }

    private mutating func emit(_ record: (CSVRecord) throws -> Void) throws {
        ends.append(field.count)
        let line = recordLine
        try field.withUnsafeBufferPointer { bytes in
            try ends.withUnsafeBufferPointer { ends in
                try record(CSVRecord(line: line, bytes: bytes, ends: ends))
            }
        }
        field.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        recordStarted = false
    }
}

extension CSVStreamReader {
    /// Reads a whole text at once: for files small enough to hold.
    public static func records(in text: String, _ record: (CSVRecord) throws -> Void) throws {
        var reader = CSVStreamReader()
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { try reader.read(UnsafeBufferPointer($0), record: record) }
        bytes.removeAll()
        try reader.finish(record: record)
    }
}

/// Byte-level helpers for CSV fields, where making a String of every cell would cost more
/// than the rest of the checks.
public enum CSVBytes {
    /// The field without spaces, tabs or line ends at either end.
    public static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// A whole number written in ASCII digits with an optional sign, or nil.
    public static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = bytes.startIndex
        var negative = false
        if index < bytes.endIndex, bytes[index] == 0x2D || bytes[index] == 0x2B { negative = bytes[index] == 0x2D; index += 1 }
        guard index < bytes.endIndex, bytes.endIndex - index <= 18 else { return nil }
        var value = 0
        while index < bytes.endIndex {
            let digit = Int(bytes[index]) - 0x30
            guard digit >= 0 && digit <= 9 else { return nil }
            value = value * 10 + digit
            index += 1
        }
        return negative ? -value : value
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}
