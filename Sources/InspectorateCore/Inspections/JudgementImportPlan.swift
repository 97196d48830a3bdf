import Foundation
import SwiftCSV

/// One row of a judgements spreadsheet, checked against the framework and the cycle.
public struct JudgementImportRow: Equatable, Sendable {
    public var line: Int
    public var organisation: String
    public var criterion: String
    public var level: Int
    public var narrative: String?
    public var rationale: String?
}

/// Plans a bulk import of judgements (one row per organisation × criterion) before
/// anything is written, reporting every bad row with its line number.
public enum JudgementImportPlanner {
    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        public var line: Int?
        public var message: String
        public init(line: Int?, message: String) { self.line = line; self.message = message }
        public var description: String { line.map { "line \($0): \(message)" } ?? message }
    }

    public struct Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        public var problems: [Problem]
        public init(problems: [Problem]) { self.problems = problems }
        public var description: String {
            "\(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was imported:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
        }
    }

    public static let requiredColumns = ["organisation", "criterion", "level"]

    /// - Parameter organisations: codes of the organisations in the cycle's scope.
    public static func plan(csv text: String, framework: Framework, organisations: Set<String>) throws -> [JudgementImportRow] {
        let table: EnumeratedCSV
        do { table = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false) }
        catch { throw Invalid(problems: [Problem(line: nil, message: "the file is not valid CSV: \(error)")]) }
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = requiredColumns.filter { !header.contains($0) }
        if !missing.isEmpty {
            throw Invalid(problems: missing.map { Problem(line: nil, message: "required column \"\($0)\" is missing") })
        }
        // Column positions once, not per cell: files run to millions of rows.
        let columns = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let criteria = Set(framework.criteria.map(\.criterion.code))
        var problems: [Problem] = []
        var rows: [JudgementImportRow] = []
        rows.reserveCapacity(table.rows.count)
        var seen: [String: Int] = [:]
        seen.reserveCapacity(table.rows.count)
        for (offset, cells) in table.rows.enumerated() {
            let line = offset + 2
            func cell(_ name: String) -> String? {
                guard let i = columns[name], i < cells.count else { return nil }
                let value = Self.trimmed(cells[i])
                return value.isEmpty ? nil : value
            }
            if cells.allSatisfy({ Self.trimmed($0).isEmpty }) { continue }
            guard let organisation = cell("organisation") else { problems.append(Problem(line: line, message: "organisation is empty")); continue }
            guard let criterion = cell("criterion") else { problems.append(Problem(line: line, message: "criterion is empty")); continue }
            var ok = true
            if !organisations.contains(organisation) {
                problems.append(Problem(line: line, message: "organisation \"\(organisation)\" is not in this cycle")); ok = false
            }
            if !criteria.contains(criterion) {
                problems.append(Problem(line: line, message: "criterion \"\(criterion)\" is not in \(framework.reference)")); ok = false
            }
            let rawLevel = cell("level") ?? ""
            let level = Int(rawLevel)
            if level == nil {
                problems.append(Problem(line: line, message: "level \"\(rawLevel)\" is not a whole number")); ok = false
            } else if !framework.levels.contains(level!) {
                problems.append(Problem(line: line, message: "level \(level!) is not on the scale (\(framework.levels.lowerBound)–\(framework.levels.upperBound))")); ok = false
            }
            let key = organisation + "\u{1F}" + criterion
            if let earlier = seen[key] {
                problems.append(Problem(line: line, message: "\(organisation) / \(criterion) is already given on line \(earlier)")); ok = false
            } else {
                seen[key] = line
            }
            if ok {
                rows.append(JudgementImportRow(line: line, organisation: organisation, criterion: criterion, level: level!,
                                               narrative: cell("narrative"), rationale: cell("rationale")))
            }
        }
        if !problems.isEmpty { throw Invalid(problems: problems) }
        return rows
    }

    /// Trims only when there is something to trim: Foundation's trimming costs more than
    /// the rest of a row's checks.
    static func trimmed(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return text }
        if first.properties.isWhitespace || last.properties.isWhitespace {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }
}
