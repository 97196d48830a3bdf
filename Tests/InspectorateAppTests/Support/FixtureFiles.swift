import Foundation

/// The real published files from shared/reference, copied beside the tests so a clone
/// carries them.
enum FixtureFile {
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    static let population = "police-force-area-population-2011.csv"
    static let headcount = "police-officer-headcount-2019.csv"
}
