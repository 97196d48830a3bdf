import Foundation

/// What files may be uploaded: a size limit and a list of types, each recognised by its
/// extension and confirmed by its first bytes, so a renamed executable is refused.
public struct UploadPolicy: Sendable {
    public var maximumBytes: Int

    public init(maximumBytes: Int) {
        self.maximumBytes = maximumBytes
    }

    struct FileType {
        let extensions: [String]
        let contentType: String
        let signature: [UInt8]?  // nil: text, checked as UTF-8
    }

    static let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    static let types: [FileType] = [
        FileType(extensions: ["pdf"], contentType: "application/pdf", signature: Array("%PDF".utf8)),
        FileType(
            extensions: ["docx"], contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", signature: zip),
        FileType(extensions: ["xlsx"], contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", signature: zip),
        FileType(
            extensions: ["pptx"], contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation", signature: zip),
        FileType(extensions: ["odt"], contentType: "application/vnd.oasis.opendocument.text", signature: zip),
        FileType(extensions: ["ods"], contentType: "application/vnd.oasis.opendocument.spreadsheet", signature: zip),
        FileType(extensions: ["png"], contentType: "image/png", signature: [0x89, 0x50, 0x4E, 0x47]),
        FileType(extensions: ["jpg", "jpeg"], contentType: "image/jpeg", signature: [0xFF, 0xD8, 0xFF]),
        FileType(extensions: ["txt"], contentType: "text/plain; charset=utf-8", signature: nil),
        FileType(extensions: ["csv"], contentType: "text/csv; charset=utf-8", signature: nil),
    ]

    public static var allowedExtensions: [String] { types.flatMap(\.extensions) }

    /// The content type to store and serve, or the problem with the file.
    public func check(filename: String, data: Data, field: String = "file") throws -> String {
        let name = filename.trimmingCharacters(in: .whitespaces)
        if name.isEmpty || data.isEmpty { throw FieldError(field, "Choose a file to upload") }
        if data.count > maximumBytes {
            throw FieldError(field, "The file is \(Self.describe(data.count)); the limit is \(Self.describe(maximumBytes))")
        }
        let ext = (name as NSString).pathExtension.lowercased()
        guard let type = Self.types.first(where: { $0.extensions.contains(ext) }) else {
            throw FieldError(
                field,
                "Files of type .\(ext.isEmpty ? "(none)" : ext) are not accepted: use \(Self.allowedExtensions.map { "." + $0 }.joined(separator: ", "))"
            )
        }
        if let signature = type.signature {
            guard data.starts(with: signature) else { throw FieldError(field, "The file's content is not a .\(ext) file") }
        } else {
            guard String(data: data, encoding: .utf8) != nil, !data.contains(0) else {
                throw FieldError(field, "A .\(ext) file must be UTF-8 text")
            }
        }
        return type.contentType
    }

    /// A name safe in a Content-Disposition header and on any file system.
    public static func safeFilename(_ raw: String) -> String {
        let base = (raw as NSString).lastPathComponent
        let cleaned = String(
            base.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || "-_. ".unicodeScalars.contains($0) ? Character($0) : "_" })
        return cleaned.isEmpty ? "file" : String(cleaned.prefix(150))
    }

    static func describe(_ bytes: Int) -> String {
        bytes >= 1_048_576 ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : "\(max(1, bytes / 1024)) KB"
    }
}
