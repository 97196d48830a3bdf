import Foundation
import Vapor

/// A file as a person uploaded it: its name and bytes.
struct UploadedFile: Sendable {
    var filename: String
    var data: Data

    init(filename: String, data: Data) {
        self.filename = filename
        self.data = data
    }

    /// A form's file part, or nil when the form was sent without choosing a file.
    init?(_ part: File?) {
        guard let part, !part.filename.isEmpty || part.data.readableBytes > 0 else { return nil }
        self.init(filename: part.filename, data: Data(part.data.readableBytesView))
    }
}
