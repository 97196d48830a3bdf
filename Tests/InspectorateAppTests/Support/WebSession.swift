import Foundation
import Testing
import Vapor
import VaporTesting

/// A browser, as far as tests need one: keeps the session cookie and the form token.
struct WebSession {
    let app: Application
    var cookie: String?

    init(app: Application) { self.app = app }

    mutating func get(_ path: String) async throws -> TestingHTTPResponse {
        let response = try await app.testing().sendRequest(.GET, path, headers: headers())
        remember(response)
        return response
    }

    /// Posts a form with the CSRF token of the page it came from, as a browser would.
    mutating func post(
        _ path: String, form: [String: String], from page: String? = nil, csrf: Bool = true
    ) async throws -> TestingHTTPResponse {
        var fields = form
        if csrf {
            let source = try await get(page ?? path)
            fields["_csrf"] = Self.csrf(in: source.body.string)
        }
        var headers = headers()
        headers.contentType = .urlEncodedForm
        let body = fields.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        }.joined(separator: "&")
        let response = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    /// Posts a multipart form (a file upload) with the CSRF token of the page it came from.
    mutating func postMultipart(
        _ path: String, fields: [String: String], file: (filename: String, data: Data), from page: String
    )
        async throws -> TestingHTTPResponse
    {
        var fields = fields
        fields["_csrf"] = Self.csrf(in: try await get(page).body.string)
        let (contentType, body) = multipart(fields, file: file)
        let response = try await app.testing().sendRequest(.POST, path, headers: headers().adding(contentType), body: body)
        remember(response)
        return response
    }

    /// The session's form token, as any page it is shown carries it.
    mutating func csrfToken() async throws -> String {
        Self.csrf(in: try await get("/account").body.string) ?? ""
    }

    mutating func signIn(_ email: String, _ password: String) async throws -> TestingHTTPResponse {
        try await post("/sign-in", form: ["email": email, "password": password])
    }

    func headers() -> HTTPHeaders {
        var headers = HTTPHeaders()
        if let cookie { headers.add(name: .cookie, value: cookie) }
        return headers
    }

    private mutating func remember(_ response: TestingHTTPResponse) {
        if let set = response.headers.setCookie?["inspectorate-session"] {
            cookie = set.string.isEmpty ? nil : "inspectorate-session=\(set.string)"
        }
    }

    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
        return String(html[range]).components(separatedBy: "value=\"").last?.dropLast().description
    }
}
