/// The allocation as `inspectorate allocate` writes it: one row per organisation, the
/// columns `organisation`, `allocation` (whole pounds), then the explanation and the
/// waterfall; and a summary with λ.
///
/// CSV: the organisations' table, a blank line, then a two-column table `summary,value`
/// (λ, budget, objective, the unconstrained λ and objective, and for each kind of
/// constraint how many organisations it binds, the sum they get and the sum it moves).
/// JSON: `{"lambda", "budget", "objective", "unconstrained_lambda",
/// "unconstrained_objective", "constraints": [...], "organisations": [{...}]}`, each
/// organisation an object with the same fields as the CSV's columns. Absent values are
/// empty in CSV and `null` in JSON. Numbers that are not pounds are written in the
/// shortest form that reads back to the same Double.
public struct AllocationReport: Sendable {
    public static let columns = [
        "organisation", "allocation", "previous", "change", "change_percent", "unconstrained", "distance_from_unconstrained",
        "binding", "marginal", "shadow_price", "weight", "scale", "lower", "upper", "waterfall_restatement", "waterfall_budget",
        "waterfall_risk", "waterfall_gap", "waterfall_floors_caps", "waterfall_damping",
    ]

    public let explanation: FundingExplanation
    /// In the same order as the explanation's organisations.
    public let waterfall: [OrganisationWaterfall]

    public init(explanation: FundingExplanation, waterfall: [OrganisationWaterfall]) {
        self.explanation = explanation
        self.waterfall = waterfall
    }

    /// Explains and builds the waterfall (with last year's inputs taken as this year's).
    public init(allocation: FundingAllocation, lastYear: LastYearInputs = LastYearInputs()) throws {
        let explanation = allocation.explain()
        let unconstrained = explanation.organisations.map(\.unconstrained)
        self.init(explanation: explanation, waterfall: try allocation.waterfall(lastYear: lastYear, unconstrained: unconstrained))
    }

    private enum Cell {
        case pounds(Int?)
        case number(Double?)
        case text(String)
    }

    /// The cells of one organisation's row, in the order of `columns`, written with `write`.
    private func row(_ index: Int, _ write: (Cell) -> Void) {
        let row = explanation.organisations[index]
        let steps = waterfall.indices.contains(index) ? waterfall[index] : nil
        write(.text(row.code))
        write(.pounds(row.allocation))
        write(.pounds(row.previous))
        write(.pounds(row.change))
        write(.number(row.changePercent))
        write(.pounds(row.unconstrained))
        write(.pounds(row.distanceFromUnconstrained))
        write(.text(row.binding.rawValue))
        write(.number(row.marginal))
        write(.number(row.shadowPrice))
        write(.number(row.weight))
        write(.number(row.scale))
        write(.pounds(row.bounds.lower))
        write(.pounds(row.bounds.upper))
        write(.pounds(steps?.restatement))
        write(.pounds(steps?.budget))
        write(.pounds(steps?.risk))
        write(.pounds(steps?.gap))
        write(.pounds(steps?.floorsAndCaps))
        write(.pounds(steps?.damping))
    }

    private var summary: [(String, Cell)] {
        let headline = explanation.headline
        var rows: [(String, Cell)] = [
            ("lambda", .number(headline.lambda)), ("budget", .pounds(headline.budget)), ("objective", .number(headline.objective)),
            ("unconstrained_lambda", .number(headline.unconstrainedLambda)),
            ("unconstrained_objective", .number(headline.unconstrainedObjective)),
        ]
        for total in headline.constraints {
            let name = total.constraint.rawValue
            rows.append(("\(name)_organisations", .pounds(total.organisations)))
            rows.append(("\(name)_allocated", .pounds(total.allocated)))
            rows.append(("\(name)_moved", .pounds(total.moved)))
        }
        return rows
    }

    public enum Format: String, Sendable, CaseIterable { case csv, json }

    public var csv: String { collected(.csv) }
    public var json: String { collected(.json) }

    /// Writes the report in pieces of about 64 KiB (their concatenation is the report).
    public func write(_ format: Format, to sink: (String) -> Void) {
        switch format {
        case .csv: writeCSV(to: sink)
        case .json: writeJSON(to: sink)
        }
    }

    private func collected(_ format: Format) -> String {
        var text = ""
        write(format) { text += $0 }
        return text
    }

    /// RFC 4180 with CRLF, as `CSVWriter` writes: text cells escaped by `CSVWriter.escape`
    /// (numbers never need it).
    private func writeCSV(to sink: (String) -> Void) {
        var out = TextBuffer(capacity: 1 << 17)
        out.text(Self.columns.joined(separator: ","))
        out.literal("\r\n")
        for index in explanation.organisations.indices {
            var first = true
            row(index) { cell in
                if !first { out.byte(0x2C) }
                first = false
                Self.appendCSV(cell, to: &out)
            }
            out.literal("\r\n")
            out.flush(to: sink)
        }
        out.literal("\r\nsummary,value\r\n")
        for (name, cell) in summary {
            out.text(name)
            out.byte(0x2C)
            Self.appendCSV(cell, to: &out)
            out.literal("\r\n")
        }
        out.flush(to: sink, force: true)
    }

    private func writeJSON(to sink: (String) -> Void) {
        var out = TextBuffer(capacity: 1 << 17)
        out.byte(0x7B)
        for (name, cell) in summary.prefix(5) {
            out.text(Self.jsonString(name))
            out.byte(0x3A)
            Self.appendJSON(cell, to: &out)
            out.byte(0x2C)
        }
        out.literal("\"constraints\":[")
        for (position, total) in explanation.headline.constraints.enumerated() {
            if position > 0 { out.byte(0x2C) }
            out.literal("{\"constraint\":")
            out.text(Self.jsonString(total.constraint.rawValue))
            out.literal(",\"organisations\":")
            out.integer(total.organisations)
            out.literal(",\"allocated\":")
            out.integer(total.allocated)
            out.literal(",\"moved\":")
            out.integer(total.moved)
            out.byte(0x7D)
        }
        out.literal("],\"organisations\":[")
        let keys = Self.columns.map { Array((Self.jsonString($0) + ":").utf8) }
        for index in explanation.organisations.indices {
            if index > 0 { out.byte(0x2C) }
            out.byte(0x7B)
            var position = 0
            row(index) { cell in
                if position > 0 { out.byte(0x2C) }
                out.bytes(keys[position])
                position += 1
                Self.appendJSON(cell, to: &out)
            }
            out.byte(0x7D)
            out.flush(to: sink)
        }
        out.literal("]}\n")
        out.flush(to: sink, force: true)
    }

    private static func appendCSV(_ cell: Cell, to out: inout TextBuffer) {
        switch cell {
        case .pounds(let value): if let value { out.integer(value) }
        case .number(let value): if let value { out.double(value, absent: "") }
        case .text(let value): out.text(plain(value) ? value : CSVWriter.escape(value))
        }
    }

    private static func appendJSON(_ cell: Cell, to out: inout TextBuffer) {
        switch cell {
        case .pounds(let value): if let value { out.integer(value) } else { out.literal("null") }
        case .number(let value): if let value { out.double(value, absent: "null") } else { out.literal("null") }
        case .text(let value):
            if plain(value) {
                out.byte(0x22)
                out.text(value)
                out.byte(0x22)
            } else {
                out.text(jsonString(value))
            }
        }
    }

    /// Letters, digits, hyphens and underscores, not starting with a hyphen: nothing to escape.
    private static func plain(_ text: String) -> Bool {
        var first = true
        for byte in text.utf8 {
            let plain =
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
                || (byte == 0x2D && !first)
            if !plain { return false }
            first = false
        }
        return true
    }

    static func jsonString(_ text: String) -> String {
        if plain(text) { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
