import Foundation
import InspectorateCore

/// Files named on the command line.
enum CommandFiles {
    /// The whole file's bytes, as they are: decoding is the importer's business.
    /// - Throws: `FieldError` on `file` when it cannot be read.
    static func read(_ path: String, field: String = "file") throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw FieldError(field, "cannot read \(path): \(error.localizedDescription)")
        }
    }
}
