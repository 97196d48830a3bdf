/// One thing wrong with a framework document, with its place in the document.
public struct FrameworkProblem: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// A document that is not a valid framework; lists every problem, not just the first.
public struct FrameworkInvalid: Error, Equatable, Sendable, CustomStringConvertible {
    public var problems: [FrameworkProblem]

    public init(problems: [FrameworkProblem]) { self.problems = problems }

    public var description: String {
        "the framework has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
