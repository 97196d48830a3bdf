import Foundation
import InspectorateCore
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
        Self.appendString(text, to: &bytes)
    }

    /// `text` as a JSON string, quoted and escaped.
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        JSONText.appendString(text, to: &bytes)
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

/// Levels without text, grouped by what they belong to: `{"group": {"key": level, …}, …}`.
/// Read back with two `json_each`, every key and value is a plain atom, so the database does
/// no more than read them; rows as arrays cost it a parse of each row. Bulk imports of
/// grades alone (no narrative) are the common case this serves.
struct JSONGroupedLevels {
    private var bytes: [UInt8] = [0x7B]
    private(set) var count = 0
    private var groups = 0

    /// Adds one group; `levels` are (key, level) pairs, keys unique within the group.
    mutating func add(group: String, _ levels: [(String, Int)]) {
        guard !levels.isEmpty else { return }
        if groups > 0 { bytes.append(0x2C) }
        appendString(group)
        bytes.append(contentsOf: [0x3A, 0x7B])
        for (index, (key, level)) in levels.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            appendString(key)
            bytes.append(0x3A)
            bytes.append(contentsOf: String(level).utf8)
        }
        bytes.append(0x7D)
        groups += 1
        count += levels.count
    }

    private mutating func appendString(_ text: String) { JSONRows.appendString(text, to: &bytes) }

    var text: String { String(decoding: bytes + [0x7D], as: UTF8.self) }

    /// `SELECT <group> AS "c0", <key> AS "c1", <level> AS "c2", <extra 0> AS "c3", … FROM <these levels>`.
    func select(
        groupKind: JSONRows.Kind, extra: [(any Encodable & Sendable, JSONRows.Kind)] = [], on sql: any SQLDatabase
    ) -> SQLQueryString {
        let sqlite = sql.dialect.name == "sqlite"
        var query: SQLQueryString =
            sqlite
            ? #"SELECT "o"."key" AS "c0", "j"."key" AS "c1", "j"."value" AS "c2""#
            : #"SELECT "o"."key""# + SQLQueryString(groupKind.postgresCast) + #" AS "c0", "j"."key" AS "c1", "j"."value"::bigint AS "c2""#
        for (offset, (value, kind)) in extra.enumerated() {
            query.appendLiteral(", ")
            query.appendInterpolation(bind: value)
            query.appendLiteral((sqlite ? "" : kind.postgresCast) + " AS \"c\(3 + offset)\"")
        }
        query.appendLiteral(sqlite ? #" FROM json_each("# : #" FROM json_each("#)
        query.appendInterpolation(bind: text)
        query.appendLiteral(sqlite ? #") AS "o", json_each("o"."value") AS "j""# : #"::json) AS "o", json_each_text("o"."value") AS "j""#)
        return query
    }
}
