import Foundation
import SQLKit

/// Many rows sent to the database as one JSON array bound to one parameter, and unpacked
/// there (`json_each` on SQLite, `json_array_elements` on PostgreSQL). For millions of rows
/// this beats a multi-row INSERT with a parameter per value: the statement is small, the
/// values are one string written byte by byte, and the database parses JSON in C.
struct JSONRows {
    private(set) var bytes: [UInt8] = [0x5B]
    private(set) var count = 0
    private var fieldsInRow = 0

    init(reservingBytes: Int = 1 << 20) { bytes.reserveCapacity(reservingBytes) }

    mutating func row(_ fill: (inout JSONRows) -> Void) {
        if count > 0 { bytes.append(0x2C) }
        bytes.append(0x5B)
        fieldsInRow = 0
        fill(&self)
        bytes.append(0x5D)
        count += 1
    }

    mutating func add(_ text: String?) {
        separate()
        guard let text else { bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]); return }
        bytes.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }

    mutating func add(_ number: Int?) {
        separate()
        bytes.append(contentsOf: number.map { Array(String($0).utf8) } ?? [0x6E, 0x75, 0x6C, 0x6C])
    }

    mutating func add(_ uuid: UUID) { add(uuid.uuidString) }

    mutating func add(_ flag: Bool) { add(flag ? 1 : 0) }

    private mutating func separate() {
        if fieldsInRow > 0 { bytes.append(0x2C) }
        fieldsInRow += 1
    }

    /// The array as text, closed.
    var text: String {
        if count == 0 { return "[]" }
        return String(decoding: bytes + [0x5D], as: UTF8.self)
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(0x5B)
        count = 0
    }

    /// What a JSON element or an extra parameter becomes in SQL: PostgreSQL needs the type
    /// spelled out; SQLite takes the value as it comes (and Fluent stores UUIDs as text,
    /// dates as seconds and flags as 0 or 1 there, as the JSON and the binds give them).
    enum Kind {
        case text, uuid, integer, boolean, date

        var postgresCast: String {
            switch self {
            case .text: "::text"
            case .uuid: "::uuid"
            case .integer: "::bigint"
            case .boolean: "::boolean"
            case .date: "::timestamptz"
            }
        }
    }

    /// `SELECT <element 0> AS "c0", …, <extra 0> AS "cN", … FROM <these rows>` for this
    /// database, the rows bound as one parameter and each `extra` as another.
    func select(_ kinds: [Kind], extra: [(any Encodable & Sendable, Kind)] = [], on sql: any SQLDatabase) -> SQLQueryString {
        let sqlite = sql.dialect.name == "sqlite"
        var query: SQLQueryString = "SELECT "
        for (index, kind) in kinds.enumerated() {
            if index > 0 { query.appendLiteral(", ") }
            switch (sqlite, kind) {
            case (true, _): query.appendLiteral("value ->> \(index)")
            case (false, .boolean): query.appendLiteral("(e ->> \(index))::int <> 0")
            case (false, _): query.appendLiteral("(e ->> \(index))\(kind.postgresCast)")
            }
            query.appendLiteral(" AS \"c\(index)\"")
        }
        for (offset, (value, kind)) in extra.enumerated() {
            query.appendLiteral(", ")
            query.appendInterpolation(bind: value)
            query.appendLiteral((sqlite ? "" : kind.postgresCast) + " AS \"c\(kinds.count + offset)\"")
        }
        query.appendLiteral(sqlite ? " FROM json_each(" : " FROM json_array_elements(")
        query.appendInterpolation(bind: text)
        query.appendLiteral(sqlite ? ")" : "::json) AS e")
        return query
    }
}
