import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A console that records what a command prints, and feeds it input.
final class CapturingConsole: Console, @unchecked Sendable {
    private let lock = NIOLock()
    private var lines: [String] = []
    private var inputs: [String]
    var userInfo: [AnySendableHashable: any Sendable] = [:]

    init(inputs: [String] = []) { self.inputs = inputs }

    var output: String { lock.withLock { lines.joined() } }
    var size: (width: Int, height: Int) { (120, 40) }

    func input(isSecure: Bool) -> String { lock.withLock { inputs.isEmpty ? "" : inputs.removeFirst() } }
    func output(_ text: ConsoleText, newLine: Bool) {
        lock.withLock { lines.append(text.description + (newLine ? "\n" : "")) }
    }
    func clear(_ type: ConsoleClear) {}
    func report(error: String, newLine: Bool) { lock.withLock { lines.append(error + (newLine ? "\n" : "")) } }
}

extension Application {
    /// Runs `inspectorate ARGS…` in-process and returns what it printed.
    func run(_ arguments: [String]) async throws -> String {
        let console = CapturingConsole()
        var context = CommandContext(console: console, input: CommandInput(arguments: ["inspectorate"] + arguments))
        context.application = self
        try await asyncCommands.group().run(using: &context)
        return console.output
    }
}
