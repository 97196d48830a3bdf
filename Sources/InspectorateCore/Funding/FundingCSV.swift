/// Reads a funding round's organisations from CSV for `inspectorate allocate`: a header
/// with the columns `organisation,weight,scale,previous,floor,cap` in any order
/// (`organisation` and `weight` required; the others may be left out or empty), then one
/// row per organisation. Read with the project's `CSVStreamReader`; every bad row is
/// reported with its line and column, all of them, not just the first.
///
/// - organisation: a code like `west-midlands` (lower-case letters, digits, single hyphens);
/// - weight: a number > 0 (the risk weight; the file has no capability gap, so w = weight);
/// - scale: pounds > 0, may have a fraction; empty: last year's allocation, or budget ÷ n;
/// - previous, floor, cap: whole pounds ≥ 0 ("1200" or "1200.00"), or empty.
/// NaN, infinity, negative, zero and non-numeric values are refused where they are.
public enum FundingCSV {
    public static let columns = ["organisation", "weight", "scale", "previous", "floor", "cap"]
    public static let required = ["organisation", "weight"]

    /// The organisations of the file, and the line each came from.
    /// - Throws: `FundingInputError` with every problem, or `CSVStreamReader.Malformed`.
    public static func read(_ bytes: [UInt8]) throws -> (organisations: [FundingOrganisation], lines: [Int]) {
        var reader = CSVStreamReader()
        var state = State()
        try bytes.withUnsafeBufferPointer { buffer in
            try reader.read(buffer) { state.take($0) }
        }
        try reader.finish { state.take($0) }
        let repeats = FundingRound.repeats(of: state.codes)
        if !repeats.isEmpty {
            for (index, first) in repeats.sorted(by: { $0.key < $1.key }) {
                let code = state.codes[index]
                state.problems.append(
                    FundingProblem(
                        line: state.codeLines[index], organisation: code, column: .organisation,
                        "\(code) is given twice (first on line \(state.codeLines[first]))"))
            }
            // In line order, each row's repeat after its other problems (the sort is stable).
            state.problems = state.problems.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
                .map(\.element)
        }
        if state.columns == nil && state.problems.isEmpty {
            state.problems.append(
                FundingProblem(line: 1, column: .organisation, "The file is empty: it needs a header \(columns.joined(separator: ","))"))
        } else if state.organisations.isEmpty && state.problems.isEmpty {
            state.problems.append(FundingProblem(line: state.lastLine, column: .organisation, "The file has a header but no organisations"))
        }
        if !state.problems.isEmpty { throw FundingInputError(problems: state.problems) }
        return (state.organisations, state.lines)
    }

    /// Reads the file and makes the round.
    public static func round(_ bytes: [UInt8], budget: Int, damping: DampingBand?) throws -> FundingRound {
        let (organisations, lines) = try read(bytes)
        return try FundingRound(budget: budget, damping: damping, organisations: organisations, lines: lines)
    }

    private struct State {
        var columns: [FundingColumn: Int]?
        /// Field position of organisation, weight, scale, previous, floor, cap (-1: absent).
        var positions: [Int] = []
        var names: [String] = []
        var problems: [FundingProblem] = []
        var organisations: [FundingOrganisation] = []
        var lines: [Int] = []
        /// Every row's code and line, good rows or not, to find a code given twice.
        var codes: [String] = []
        var codeLines: [Int] = []
        var lastLine = 1
        var headerBroken = false

        mutating func take(_ record: CSVRecord) {
            lastLine = record.line
            if record.isBlank { return }
            guard columns != nil else { return header(record) }
            // With a broken header the rows cannot be read column by column: its problems are enough.
            if headerBroken { return }
            row(record)
        }

        mutating func header(_ record: CSVRecord) {
            var found: [FundingColumn: Int] = [:]
            names = (0..<record.count).map { String(decoding: CSVBytes.trimmed(record[$0]), as: UTF8.self).lowercased() }
            for (index, name) in names.enumerated() {
                guard FundingCSV.columns.contains(name), let column = FundingColumn(rawValue: name) else {
                    problems.append(
                        FundingProblem(
                            line: record.line, column: .organisation, columnName: name,
                            "unknown column; the columns are \(FundingCSV.columns.joined(separator: ","))"))
                    continue
                }
                if found[column] != nil {
                    problems.append(FundingProblem(line: record.line, column: column, "the column is given twice"))
                }
                found[column] = index
            }
            for name in FundingCSV.required where found[FundingColumn(rawValue: name) ?? .organisation] == nil {
                problems.append(
                    FundingProblem(line: record.line, column: FundingColumn(rawValue: name) ?? .organisation, "required column is missing"))
            }
            columns = found
            positions = [FundingColumn.organisation, .weight, .scale, .previous, .floor, .cap].map { found[$0] ?? -1 }
            headerBroken = !problems.isEmpty
        }

        mutating func row(_ record: CSVRecord) {
            let line = record.line
            if record.count != names.count {
                problems.append(
                    FundingProblem(
                        line: line, column: .organisation, columnName: "(row)",
                        "the row has \(record.count) fields; the header has \(names.count)"))
                return
            }
            let positions = self.positions
            func text(_ column: FundingColumn) -> String? {
                let index: Int
                switch column {
                case .organisation: index = positions[0]
                case .weight: index = positions[1]
                case .scale: index = positions[2]
                case .previous: index = positions[3]
                case .floor: index = positions[4]
                case .cap: index = positions[5]
                default: index = -1
                }
                guard index >= 0 else { return nil }
                let bytes = CSVBytes.trimmed(record[index])
                return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
            }
            var flagged: [FundingColumn] = []
            var rowProblems: [FundingProblem] = []
            let code = text(.organisation) ?? ""
            func flag(_ column: FundingColumn, _ message: String) {
                flagged.append(column)
                rowProblems.append(FundingProblem(line: line, organisation: code, column: column, message))
            }
            if let message = FundingCSV.codeProblem(code) { flag(.organisation, message) }
            let weight = FundingCSV.number(text(.weight), required: true).map(onError: { flag(.weight, $0) }) ?? 1
            let scale = FundingCSV.number(text(.scale), required: false).map(onError: { flag(.scale, $0) })
            let previous = FundingCSV.pounds(text(.previous)).map(onError: { flag(.previous, $0) })
            let floor = FundingCSV.pounds(text(.floor)).map(onError: { flag(.floor, $0) })
            let cap = FundingCSV.pounds(text(.cap)).map(onError: { flag(.cap, $0) })
            let organisation = FundingOrganisation(code: code, riskWeight: weight, scale: scale, previous: previous, floor: floor, cap: cap)
            for (column, message) in organisation.problems() where !flagged.contains(column) {
                if column == .organisation && code.isEmpty { continue }
                rowProblems.append(FundingProblem(line: line, organisation: code, column: column, message))
            }
            if !code.isEmpty {
                codes.append(code)
                codeLines.append(line)
            }
            if rowProblems.isEmpty {
                organisations.append(organisation)
                lines.append(line)
            } else {
                problems.append(contentsOf: rowProblems)
            }
        }
    }

    /// The rule of `OrganisationCode.validate`, on the bytes (a file may have 200,000 rows).
    static func codeProblem(_ code: String) -> String? {
        if code.isEmpty { return "Enter the organisation's code" }
        var count = 0
        var previous: UInt8 = 0x2D
        var allowed = true
        for byte in code.utf8 {
            let letter = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            if !letter && (byte != 0x2D || previous == 0x2D) { allowed = false }
            previous = byte
            count += 1
        }
        if count > 64 { return "Code must be 64 characters or fewer" }
        if !allowed || previous == 0x2D {
            return "Code must use lower-case letters, digits and single hyphens, like west-midlands (\"\(code)\")"
        }
        return nil
    }

    /// A positive finite number; the range is checked with the organisation.
    static func number(_ text: String?, required: Bool) -> Parsed<Double>? {
        guard let text else { return required ? .problem("Enter a number") : nil }
        guard let value = Double(text), text.utf8.allSatisfy({ $0 < 0x80 }) else { return .problem("\"\(text)\" is not a number") }
        if value.isNaN { return .problem("\"\(text)\" is not a number (NaN is refused)") }
        if value.isInfinite { return .problem("must be a finite number (\"\(text)\")") }
        return .value(value)
    }

    /// Whole pounds, ≥ 0.
    static func pounds(_ text: String?) -> Parsed<Int>? {
        guard let text else { return nil }
        if let whole = Pounds.parseWhole(text) { return .value(whole) }
        guard let value = Double(text), value.isFinite else { return .problem("\"\(text)\" is not a number of pounds") }
        if value < 0 { return .problem("must not be negative (\(text))") }
        if value.rounded() != value { return .problem("must be whole pounds (\(text))") }
        return .problem("must be at most \(Pounds.format(FundingLimits.largestPounds)) (\(text))")
    }

    enum Parsed<Value> {
        case value(Value)
        case problem(String)

        func map(onError: (String) -> Void) -> Value? {
            switch self {
            case .value(let value): return value
            case .problem(let message):
                onError(message)
                return nil
            }
        }
    }
}

extension Optional {
    fileprivate func map<Value>(onError: (String) -> Void) -> Value? where Wrapped == FundingCSV.Parsed<Value> {
        flatMap { $0.map(onError: onError) }
    }
}
