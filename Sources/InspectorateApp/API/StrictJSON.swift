import InspectorateCore
import Vapor

/// An API request body. Fields the type does not declare are refused rather than ignored,
/// so a misspelt field name is an error the client sees, not a silent no-op.
protocol StrictBody: Decodable, Sendable {
    associatedtype Keys: CodingKey & CaseIterable
}

extension Request {
    func strictBody<T: StrictBody>(_ type: T.Type) throws -> T {
        guard let contentType = headers.contentType, contentType.type == "application", contentType.subType == "json" else {
            throw HTTPProblem.unsupportedMediaType("Send the body as JSON with 'Content-Type: application/json'")
        }
        guard let buffer = body.data, buffer.readableBytes > 0 else {
            throw HTTPProblem(status: .badRequest, code: "malformed_json", message: "The request body is empty; send a JSON object")
        }
        let data = Data(buffer.readableBytesView)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw HTTPProblem(status: .badRequest, code: "malformed_json", message: "The request body is not valid JSON")
        }
        guard let fields = object as? [String: Any] else {
            throw HTTPProblem(status: .badRequest, code: "malformed_json", message: "The request body must be a JSON object")
        }
        let known = Set(T.Keys.allCases.map(\.stringValue))
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw FieldError(unknown, "Unknown field '\(unknown)'; allowed fields are \(known.sorted().joined(separator: ", "))")
        }
        do {
            return try JSONDecoder.api(zone: application.settings.timeZone).decode(T.self, from: data)
        } catch let error as DecodingError {
            throw HTTPProblem(decoding: error)
        }
    }
}

extension JSONDecoder {
    /// The key under which a decoder carries the deployment's zone, for dates without a time.
    static let timeZoneKey = CodingUserInfoKey(rawValue: "timeZone")!

    /// The API's decoder: dates read by `DateInput` in `zone`.
    static func api(zone: TimeZone) -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.userInfo[timeZoneKey] = zone
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            let zone = decoder.userInfo[JSONDecoder.timeZoneKey] as? TimeZone ?? .utc
            do {
                return try DateInput.parse(text, field: decoder.codingPath.last?.stringValue ?? "date", zone: zone)
            } catch let error as FieldError {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
            }
        }
        return decoder
    }
}
