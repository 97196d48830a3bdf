/// A funding round: budget B in whole pounds, an optional damping band, and the
/// organisations, checked once here so that no NaN, infinity or negative sum ever
/// reaches the solver ("Bad input" in issue 12).
///
/// The organisations are kept sorted by code. Every result follows that order and every
/// sum is taken in it, so the allocation does not depend on the order of the input rows
/// (not even in the last bit of a Double).
public struct FundingRound: Sendable, Equatable {
    public let budget: Int
    /// nil: no band (nobody is held near last year). A band of 0 holds everyone with a
    /// previous allocation exactly at it.
    public let damping: DampingBand?
    public let organisations: [FundingOrganisation]

    /// Throws `FundingInputError` listing every problem, each naming the row (position from
    /// 1, or the file's line when `lines` gives it) and the column.
    /// - Parameter lines: the line of the file each organisation came from, in the order given.
    public init(budget: Int, damping: DampingBand?, organisations: [FundingOrganisation], lines: [Int]? = nil) throws {
        var problems: [FundingProblem] = []
        if budget < 0 || budget > FundingLimits.largestBudget {
            problems.append(
                FundingProblem(column: .budget, "The budget must be whole pounds from £0 to \(Pounds.format(FundingLimits.largestBudget))"))
        }
        if organisations.isEmpty {
            problems.append(FundingProblem(column: .organisation, "A round needs at least one organisation"))
        }
        if organisations.count > FundingLimits.largestRound {
            problems.append(FundingProblem(column: .organisation, "A round has at most \(FundingLimits.largestRound) organisations"))
        }
        let codes = organisations.map(\.code)
        let order = Self.order(of: codes)
        let firstUse = Self.repeats(of: codes, order: order)
        func lineOf(_ index: Int) -> Int? { lines.flatMap { index < $0.count ? $0[index] : nil } }
        for (index, organisation) in organisations.enumerated() {
            let line = lineOf(index)
            let row = line == nil ? index + 1 : nil
            for (column, message) in organisation.problems() {
                problems.append(FundingProblem(line: line, row: row, organisation: organisation.code, column: column, message))
            }
            if let earlier = firstUse[index] {
                let place = lineOf(earlier).map { "line \($0)" } ?? "row \(earlier + 1)"
                problems.append(
                    FundingProblem(
                        line: line, row: row, organisation: organisation.code, column: .organisation,
                        "\(organisation.code) is given twice (first on \(place))"))
            }
        }
        if !problems.isEmpty { throw FundingInputError(problems: problems) }
        self.budget = budget
        self.damping = damping
        self.organisations = order.map { organisations[$0] }
    }

    /// Positions sorted by code, ties by position; a file already in code order is only checked.
    static func order(of codes: [String]) -> [Int] {
        if zip(codes, codes.dropFirst()).allSatisfy({ $0 < $1 }) { return Array(codes.indices) }
        return codes.indices.sorted { first, second in codes[first] < codes[second] || (codes[first] == codes[second] && first < second) }
    }

    /// Each position whose code was given before, mapped to the position of its first use.
    static func repeats(of codes: [String], order: [Int]? = nil) -> [Int: Int] {
        let order = order ?? Self.order(of: codes)
        var firstUse: [Int: Int] = [:]
        var runStart = 0
        for position in order.indices.dropFirst() {
            if codes[order[position]] == codes[order[runStart]] {
                firstUse[order[position]] = order[runStart]
            } else {
                runStart = position
            }
        }
        return firstUse
    }

    /// The same organisations with another budget (a scenario).
    public func with(budget: Int) throws -> FundingRound {
        try FundingRound(budget: budget, damping: damping, organisations: organisations)
    }

    /// The same organisations with another band, or none.
    public func with(damping: DampingBand?) throws -> FundingRound {
        try FundingRound(budget: budget, damping: damping, organisations: organisations)
    }

    /// Reads a budget written as whole pounds ("25000000"; "25000000.00" is accepted, "25000000.50" is not).
    public static func parseBudget(_ text: String, field: String = "budget") throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let pounds = Pounds.parseWhole(trimmed) else {
            if let value = Double(trimmed), value.isFinite {
                if value < 0 { throw FieldError(field, "The budget must not be negative (\"\(text)\")") }
                throw FieldError(field, "The budget must be a whole number of pounds (\"\(text)\")")
            }
            throw FieldError(field, "\"\(text)\" is not a number of pounds")
        }
        guard pounds >= 0 && pounds <= FundingLimits.largestBudget else {
            throw FieldError(field, "The budget must be from £0 to \(Pounds.format(FundingLimits.largestBudget))")
        }
        return pounds
    }
}

/// One problem with a round's inputs, with its place: the line of the file, or the row
/// (position from 1) of a round built in memory, and the column.
public struct FundingProblem: Equatable, Sendable, CustomStringConvertible {
    public var line: Int?
    public var row: Int?
    public var organisation: String?
    public var column: FundingColumn
    public var columnName: String
    public var message: String

    public init(
        line: Int? = nil, row: Int? = nil, organisation: String? = nil, column: FundingColumn, columnName: String? = nil,
        _ message: String
    ) {
        self.line = line
        self.row = row
        self.organisation = organisation
        self.column = column
        self.columnName = columnName ?? column.rawValue
        self.message = message
    }

    public var description: String {
        var place: [String] = []
        if let line { place.append("line \(line)") } else if let row { place.append("row \(row)") }
        place.append("column \"\(columnName)\"")
        let who = organisation.map { $0.isEmpty ? "" : " (\($0))" } ?? ""
        return "\(place.joined(separator: ", "))\(who): \(message)"
    }
}

/// A round refused for its inputs: every problem, not just the first.
public struct FundingInputError: Error, Equatable, Sendable, CustomStringConvertible {
    public var problems: [FundingProblem]

    public init(problems: [FundingProblem]) { self.problems = problems }

    public var description: String {
        "the funding inputs have \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }

    /// For a form or an API body: one `FieldError` per problem, its field the column
    /// prefixed by the organisation's position ("organisations[3].weight").
    public var validationErrors: ValidationErrors {
        ValidationErrors(
            problems.map { problem in
                let field = problem.row.map { "organisations[\($0 - 1)].\(problem.columnName)" } ?? problem.columnName
                return FieldError(field, problem.line.map { "line \($0): \(problem.message)" } ?? problem.message)
            })
    }
}
