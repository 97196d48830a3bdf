import Foundation
import Logging

/// One JSON object per line, for log shippers. Chosen with INSPECTORATE_LOG_FORMAT=json;
/// the request id Vapor puts in each request's logger metadata becomes a field.
struct JSONLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
        source: String, file: String, function: String, line: UInt
    ) {
        var object: [String: String] = [
            // Log lines carry the real time, whatever instant a test sets the application's clock to.
            "time": Date.now.formatted(.iso8601), "level": level.rawValue, "logger": label,
            "message": message.description,
        ]
        for (key, value) in metadata.merging(explicit ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = value.description
        }
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        data.append(0x0A)
        FileHandle.standardError.write(data)
    }
}
