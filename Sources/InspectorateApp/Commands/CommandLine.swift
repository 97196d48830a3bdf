import ConsoleKit
import Fluent
import Foundation
import InspectorateCore
import Vapor

/// The executable's whole life: read the settings, start the application, run the command
/// the arguments name, and turn any error into a plain sentence on standard error with an
/// exit status. The executable is one call to this.
public enum CommandLineRun {
    /// Runs `arguments` (as the process received them) and returns the exit status.
    public static func main(arguments: [String] = CommandLine.arguments) async -> Int32 {
        // `allocate` is arithmetic on a file: no settings, database or server to start.
        if arguments.dropFirst().first == "allocate" {
            return AllocateCommand.run(
                arguments: Array(arguments.dropFirst()), readFile: { try CommandFiles.read($0) },
                write: { FileHandle.standardOutput.write(Data($0.utf8)) },
                writeError: { FileHandle.standardError.write(Data($0.utf8)) })
        }
        let settings: Settings
        do {
            settings = try Settings.fromEnvironment()
        } catch {
            report(error)
            return 2
        }
        bootstrapLogging(settings)
        let app: Application
        do {
            app = try await Application.make(try Environment.detect(arguments: arguments))
        } catch {
            report(error)
            return 2
        }
        var status: Int32 = 0
        do {
            try await configure(app, settings: settings)
            try await app.startup()
            try await app.running?.onStop.get()
        } catch {
            report(error)
            status = CommandLineErrors.status(for: error)
        }
        try? await app.asyncShutdown()
        return status
    }

    private static func report(_ error: any Error) {
        FileHandle.standardError.write(Data("error: \(CommandLineErrors.message(for: error))\n".utf8))
    }
}

/// The one mapping from what went wrong to what an operator reads at the command line: a
/// sentence (every problem of an import or a framework on its own line), never a Swift type
/// dump or a log line.
public enum CommandLineErrors {
    public static func message(for error: any Error) -> String {
        switch error {
        case let error as DomainError: error.description
        case let error as FieldError: error.description
        case let errors as ValidationErrors: errors.errors.map(\.description).joined(separator: "\n  ")
        case let error as SettingsError: error.description
        case let error as FrameworkInvalid: error.description
        case let error as FileInvalid: error.description
        case let error as ImportError: error.description
        case let error as CommandError: error.description
        case let error as ConfigurationProblem: error.description
        case let error as any DatabaseError where error.isConstraintFailure: "that conflicts with a record that already exists"
        case let error as any DatabaseError: "the database refused: \(String(describing: error))"
        case let error as any AbortError: error.reason
        case let error as DecodingError: "a value could not be read: \(error.localizedDescription)"
        default: String(describing: error)
        }
    }

    /// 2 for a command used wrongly or a bad setting, 1 for everything else.
    public static func status(for error: any Error) -> Int32 {
        switch error {
        case is CommandError, is SettingsError, is ConfigurationProblem: 2
        default: 1
        }
    }
}
