import Foundation
import InspectorateCore
import Vapor

/// Every file the application hands out: one way to name it, mark it and say how to cache it.
enum Download {
    /// `Content-Disposition: attachment` with an ASCII fallback name and, for anything
    /// else, RFC 6266's `filename*=UTF-8''…`, so every browser saves the name as it is.
    static func disposition(filename: String) -> String {
        let ascii = String(
            filename.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar != "%" ? Character(scalar) : "_"
            })
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "!#$&+-.^_`|~")
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return ascii == filename ? "attachment; filename=\"\(ascii)\"" : "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    /// A CSV export. Excel on Windows reads a CSV without a byte-order mark as Windows-1252
    /// (`Môn` shows as `MÃ´n`), so the mark is written unless the caller asks for none
    /// (`?bom=false`, for tools that dislike it).
    static func csv(_ text: String, filename: String, byteOrderMark: Bool = true) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: disposition(filename: filename))
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: (byteOrderMark ? "\u{FEFF}" : "") + text))
    }

    /// A file of marked information: the marking leads the file name and travels in
    /// `X-Security-Marking`; never cached.
    static func marked(content: Data, contentType: String, filename: String, sha256: String, marking: Marking) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: contentType)
        let label = marking.description.replacingOccurrences(of: " ", with: "-")
        headers.replaceOrAdd(name: .contentDisposition, value: disposition(filename: "\(label)_\(filename)"))
        headers.replaceOrAdd(name: "X-Security-Marking", value: marking.description)
        headers.replaceOrAdd(name: "X-Content-SHA256", value: sha256)
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: content))
    }

    /// A plain file (a framework document).
    static func file(_ text: String, contentType: String, filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: disposition(filename: filename))
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}

extension Request {
    /// Whether a CSV export should start with a byte-order mark: yes unless `bom=false`.
    var csvByteOrderMark: Bool {
        get throws {
            switch (query[String.self, at: "bom"] ?? "true").lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: throw FieldError("bom", "bom is true or false")
            }
        }
    }
}
