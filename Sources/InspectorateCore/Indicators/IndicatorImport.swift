/// The problems an indicator import (values, or a most-similar grouping) reports, and the
/// error that carries them.
public enum IndicatorImport {
    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        /// Line of the file (from 1; the header is line 1), or nil for the file as a whole.
        public var line: Int?
        public var message: String
        public init(line: Int?, message: String) { self.line = line; self.message = message }
        public var description: String { line.map { "line \($0): \(message)" } ?? message }
    }

    /// All or none: any problem means nothing is imported.
    public struct Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        public var problems: [Problem]
        public init(problems: [Problem]) { self.problems = problems }
        public var description: String {
            "\(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was imported:\n"
                + problems.map { "  \($0)" }.joined(separator: "\n")
        }
    }

    /// Columns of a values file: these four, in any order…
    public static let requiredColumns = ["indicator", "organisation", "period", "value"]
    /// …and these two if wanted. No other column is read or allowed.
    public static let optionalColumns = ["status", "note"]
}
