import Foundation
import Testing

/// Reads a committed fixture from Tests/InspectorateCoreTests/Fixtures (excluded from the
/// target, so found from this file's path, as the other tests do).
enum IndicatorFixture {
    static func data(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        return try Data(contentsOf: url)
    }

    static func decode<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
        try JSONDecoder().decode(type, from: data(name))
    }

    /// Agreement as the brief sets it: within `relative` of the expected value's size, or
    /// within `absolute` (for values near zero).
    static func close(_ actual: Double, _ expected: Double, relative: Double, absolute: Double) -> Bool {
        abs(actual - expected) <= max(absolute, relative * abs(expected))
    }
}

/// The suites of the indicators core, nested so `swift test --filter Indicators` runs them all.
@Suite("Indicators") enum Indicators {}
