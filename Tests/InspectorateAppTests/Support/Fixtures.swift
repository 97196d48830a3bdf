import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

/// A user made for a test, with a bearer token and the password it was made with.
struct TestUser {
    var user: User
    var token: String
    var password: String
    var email: String { user.email }
    var bearer: HTTPHeaders { ["Authorization": "Bearer \(token)"] }
}

let testPassword = "correct horse battery staple"

extension Application {
    /// Creates an account with a token. Members and partners belong to `organisation`.
    func makeUser(
        _ role: Role, organisation: String? = nil, email: String? = nil,
        vetting: VettingLevel = .none
    ) async throws -> TestUser {
        let home = organisation ?? (role.requiresHomeOrganisation ? "west-midlands" : nil)
        let address = email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8))@example.org"
        let (user, _) = try await UserService.create(
            UserChanges(
                email: address, displayName: role.displayName, role: role, organisationCode: home,
                vettingLevel: vetting, vettingGranted: .some(vetting == .none ? nil : clock.now().addingTimeInterval(-86_400)),
                vettingExpires: .some(nil), vettingReference: vetting == .none ? nil : "UKSV-TEST"),
            password: testPassword, hasher: password.async, caller: commandLineCaller(), on: db)
        let loaded = try await UserService.find(id: user.requireID(), on: db)!
        let (_, secret) = try await TokenService.issue(
            for: loaded, name: "test", days: nil, maximumDays: 90, caller: commandLineCaller(), on: db)
        return TestUser(user: loaded, token: secret, password: testPassword)
    }

    /// One account for each role, plus a member of another organisation. The inspectorate's
    /// staff hold SC, forces' and partners' people BPSS, as is common.
    func makeCast() async throws -> [String: TestUser] {
        var cast: [String: TestUser] = [:]
        for role in Role.allCases { cast[role.rawValue] = try await makeUser(role, vetting: role.requiresHomeOrganisation ? .bpss : .sc) }
        cast["member-of-metropolitan"] = try await makeUser(.organisationMember, organisation: "metropolitan", vetting: .bpss)
        return cast
    }
}

func json(_ object: [String: Any]) -> ByteBuffer {
    ByteBuffer(data: try! JSONSerialization.data(withJSONObject: object))
}

extension HTTPHeaders {
    static func bearer(_ user: TestUser, json: Bool = false) -> HTTPHeaders {
        var headers = user.bearer
        if json { headers.contentType = .json }
        return headers
    }
}

extension TestingHTTPResponse {
    /// The decoded body as a dictionary, for checking API errors and fields.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var errorField: String? { (object["error"] as? [String: Any])?["field"] as? String }
    var text: String { body.string }
}

/// A multipart/form-data body, as a browser or `curl -F` sends an upload.
func multipart(_ fields: [String: String], file: (filename: String, data: Data)? = nil) -> (HTTPHeaders, ByteBuffer) {
    let boundary = "----inspectorate-test-\(UUID().uuidString)"
    var body = Data()
    for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
    }
    if let file {
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    .utf8))
        body.append(file.data)
        body.append(Data("\r\n".utf8))
    }
    body.append(Data("--\(boundary)--\r\n".utf8))
    var headers = HTTPHeaders()
    headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
    return (headers, ByteBuffer(data: body))
}

extension HTTPHeaders {
    func adding(_ other: HTTPHeaders) -> HTTPHeaders {
        var merged = self
        for (name, value) in other { merged.replaceOrAdd(name: name, value: value) }
        return merged
    }
}
