import Foundation
import InspectorateCore

/// Reads the deployment's marking scheme, once at start (`INSPECTORATE_MARKING_SCHEME`).
enum MarkingSchemeLoader {
    /// `choice` is a shipped scheme's code (`gsc`, `gpms-2009`) or the path of a YAML file.
    /// - Throws: `SettingsError` naming the variable, with every problem of a bad scheme.
    static func load(_ choice: String) throws -> MarkingScheme {
        let url: URL
        if choice.hasSuffix(".yaml") || choice.hasSuffix(".yml") {
            url = URL(fileURLWithPath: choice)
        } else {
            guard let shipped = Bundle.module.url(forResource: choice, withExtension: "yaml", subdirectory: "Markings") else {
                throw SettingsError(
                    variable: "INSPECTORATE_MARKING_SCHEME", message: "\(choice) is not a shipped scheme (gsc, gpms-2009) nor a .yaml file")
            }
            url = shipped
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw SettingsError(variable: "INSPECTORATE_MARKING_SCHEME", message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        do {
            return try MarkingScheme.read(yaml: text)
        } catch let problem as MarkingSchemeProblem {
            throw SettingsError(variable: "INSPECTORATE_MARKING_SCHEME", message: "\(url.path):\n\(problem)")
        }
    }
}
