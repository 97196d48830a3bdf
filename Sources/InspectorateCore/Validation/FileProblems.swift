/// One thing wrong with an imported file: the line (from 1, the header being line 1; nil for
/// the file as a whole) and what is wrong. Every import reports its problems this way.
public struct FileProblem: Equatable, Sendable, CustomStringConvertible {
    public var line: Int?
    public var message: String

    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}

/// A refused import: every problem found, in file order; all or nothing, so nothing was
/// imported.
public struct FileInvalid: Error, Equatable, Sendable, CustomStringConvertible {
    public var problems: [FileProblem]

    public init(problems: [FileProblem]) { self.problems = problems }

    public var description: String {
        "\(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was imported:\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
