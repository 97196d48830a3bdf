import Vapor
import InspectorateCore

extension Application {
    private struct SchemeKey: StorageKey { typealias Value = MarkingScheme }

    /// The deployment's marking scheme, read once at start (see `Settings.markingScheme`).
    var markingScheme: MarkingScheme {
        get { storage[SchemeKey.self]! }
        set { storage[SchemeKey.self] = newValue }
    }

    /// Reads the scheme the settings name; a bad scheme stops the start with its problems.
    func loadMarkingScheme() throws {
        let choice = settings.markingScheme
        let url: URL
        if choice.hasSuffix(".yaml") || choice.hasSuffix(".yml") {
            url = URL(fileURLWithPath: choice)
        } else {
            guard let shipped = Bundle.module.url(forResource: choice, withExtension: "yaml", subdirectory: "Markings") else {
                throw FieldError("INSPECTORATE_MARKING_SCHEME", "\(choice) is not a shipped scheme (gsc, gpms-2009) nor a .yaml file")
            }
            url = shipped
        }
        do {
            markingScheme = try MarkingScheme.read(yaml: String(contentsOf: url, encoding: .utf8))
        } catch let problem as MarkingSchemeProblem {
            throw FieldError("INSPECTORATE_MARKING_SCHEME", "\(url.path):\n\(problem)")
        }
    }
}

extension Request {
    var markingScheme: MarkingScheme { application.markingScheme }
}
