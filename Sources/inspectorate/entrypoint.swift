import Foundation
import InspectorateApp

/// Thin: everything, errors included, is `CommandLineRun`'s.
@main
enum Entrypoint {
    static func main() async {
        exit(await CommandLineRun.main())
    }
}
