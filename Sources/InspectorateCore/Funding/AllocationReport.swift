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
        self.init(explanation: allocation.explain(), waterfall: try allocation.waterfall(lastYear: lastYear))
    }

    private enum Cell {
        case pounds(Int?)
        case number(Double?)
        case text(String)
    }

    private func cells(_ index: Int) -> [Cell] {
        let row = explanation.organisations[index]
        let steps = waterfall.indices.contains(index) ? waterfall[index] : nil
        return [
            .text(row.code), .pounds(row.allocation), .pounds(row.previous), .pounds(row.change), .number(row.changePercent),
            .pounds(row.unconstrained), .pounds(row.distanceFromUnconstrained), .text(row.binding.rawValue), .number(row.marginal),
            .number(row.shadowPrice), .number(row.weight), .number(row.scale), .pounds(row.bounds.lower), .pounds(row.bounds.upper),
            .pounds(steps?.restatement), .pounds(steps?.budget), .pounds(steps?.risk), .pounds(steps?.gap), .pounds(steps?.floorsAndCaps),
            .pounds(steps?.damping),
        ]
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

    public var csv: String {
        var writer = CSVWriter(header: Self.columns)
        for index in explanation.organisations.indices {
            writer.append(cells(index).map(Self.csvText))
        }
        var text = writer.text + "\r\n"
        var summaryWriter = CSVWriter(header: ["summary", "value"])
        for (name, cell) in summary { summaryWriter.append([name, Self.csvText(cell)]) }
        text += summaryWriter.text
        return text
    }

    public var json: String {
        var out = "{"
        for (name, cell) in summary.prefix(5) { out += "\"\(name)\":\(Self.jsonText(cell))," }
        out += "\"constraints\":["
        out += explanation.headline.constraints.map { total in
            "{\"constraint\":\"\(total.constraint.rawValue)\",\"organisations\":\(total.organisations),\"allocated\":\(total.allocated),\"moved\":\(total.moved)}"
        }.joined(separator: ",")
        out += "],\"organisations\":["
        out.reserveCapacity(out.utf8.count + explanation.organisations.count * 420)
        for index in explanation.organisations.indices {
            if index > 0 { out += "," }
            out += "{"
            for (position, cell) in cells(index).enumerated() {
                if position > 0 { out += "," }
                out += "\"\(Self.columns[position])\":"
                out += Self.jsonText(cell)
            }
            out += "}"
        }
        out += "]}\n"
        return out
    }

    private static func csvText(_ cell: Cell) -> String {
        switch cell {
        case .pounds(let value): value.map { String($0) } ?? ""
        case .number(let value): value.map(number) ?? ""
        case .text(let value): value
        }
    }

    private static func jsonText(_ cell: Cell) -> String {
        switch cell {
        case .pounds(let value): value.map { String($0) } ?? "null"
        case .number(let value): value.map(number) ?? "null"
        case .text(let value): jsonString(value)
        }
    }

    /// The shortest text that reads back as the same Double; never NaN or infinity (null then).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return String(describing: value)
    }

    static func jsonString(_ text: String) -> String {
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
