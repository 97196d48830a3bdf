import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

@Suite("Reading CSV in pieces")
struct CSVStreamTests {
    /// Fields built from the characters that make CSV hard.
    static let alphabet = ["a", "b", "7", " ", ",", "\"", "\n", "\r\n", "é", "✓", "\t"]

    static func encode(_ table: [[String]], crlf: Bool, trailingNewline: Bool) -> String {
        let end = crlf ? "\r\n" : "\n"
        let text = table.map { fields in
            fields.map { field in
                field.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) }) || field.isEmpty && fields.count == 1
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",")
        }.joined(separator: end)
        return trailingNewline ? text + end : text
    }

    static func read(_ text: String, pieceSize: Int) throws -> [(line: Int, fields: [String])] {
        var reader = CSVStreamReader()
        var records: [(Int, [String])] = []
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: pieceSize) {
            try bytes[start..<min(bytes.count, start + pieceSize)].withUnsafeBufferPointer { piece in
                try reader.read(piece) { records.append(($0.line, (0..<$0.count).map($0.string))) }
            }
        }
        try reader.finish { records.append(($0.line, (0..<$0.count).map($0.string))) }
        return records
    }

    @Test func whatIsWrittenIsReadBackWhereverThePiecesBreak() async {
        let cells = Gen.int(in: 0...(Self.alphabet.count - 1)).array(of: 0...4).array(of: 1...4).array(of: 1...6)
        await propertyCheck(count: 300, input: cells, Gen.int(in: 1...9), Gen.bool, Gen.bool) { indexes, pieceSize, crlf, trailing in
            let table = indexes.map { $0.map { $0.map { Self.alphabet[$0] }.joined() } }
            let text = Self.encode(table, crlf: crlf, trailingNewline: trailing)
            let records = try! Self.read(text, pieceSize: pieceSize)
            #expect(records.map(\.fields) == table, "\(text.debugDescription)")
            // Each record starts on the line after the previous one's last line.
            var line = 1
            for (record, fields) in zip(records, table) {
                #expect(record.line == line)
                line += 1 + fields.joined().filter { $0 == "\n" || $0 == "\r\n" }.count
            }
        }
    }

    @Test func aByteOrderMarkIsNotData() throws {
        let records = try Self.read("\u{FEFF}organisation,level\nkent,3\n", pieceSize: 1)
        #expect(records.map(\.fields) == [["organisation", "level"], ["kent", "3"]])
    }

    @Test func aQuotedFieldLeftOpenIsReportedWhereItStarts() {
        #expect(throws: CSVStreamReader.Malformed(line: 3, message: "a quoted field is not closed before the end of the file")) {
            try Self.read("a,b\nc,d\ne,\"never\nclosed\n", pieceSize: 4)
        }
    }

    @Test func blankLinesAreBlankRecords() throws {
        var blanks: [Bool] = []
        try CSVStreamReader.records(in: "a,b\n\n , \nc,d") { blanks.append($0.isBlank) }
        #expect(blanks == [false, true, true, false])
    }

    @Test func numbersAreReadFromTheBytes() {
        func integer(_ text: String) -> Int? { Array(text.utf8).withUnsafeBufferPointer(CSVBytes.integer) }
        #expect(integer("3") == 3 && integer("-12") == -12 && integer("+4") == 4)
        #expect(integer("") == nil && integer("3.5") == nil && integer("high") == nil && integer("-") == nil)
    }
}
