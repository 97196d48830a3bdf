import Vapor
import InspectorateApp
import InspectorateCore

@main
enum Entrypoint {
    static func main() async {
        var env: Environment
        do {
            env = try Environment.detect()
            try bootstrapLogging(environment: &env)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(2)
        }
        let app: Application
        do {
            app = try await Application.make(env)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
        var status: Int32 = 0
        do {
            try await configure(app)
            do {
                try await app.execute()
            } catch {
                // Vapor has already logged the error to standard error.
                status = 1
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(describe(error))\n".utf8))
            status = 1
        }
        try? await app.asyncShutdown()
        exit(status)
    }

    /// Operators see what is wrong and where, not a Swift type dump.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as CustomStringConvertible: error.description
        default: String(reflecting: error)
        }
    }
}
