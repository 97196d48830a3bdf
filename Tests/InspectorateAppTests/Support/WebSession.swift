import Foundation
import Testing
import Vapor
import VaporTesting

/// A browser, as far as tests need one: keeps its cookies (the session's, and the form
/// token's a visitor gets before signing in) and sends them back.
struct WebSession {
    let app: Application
    var cookies: [String: String] = [:]
    /// The session cookie as a `Cookie` header value, when there is one.
    var cookie: String? {
        get { cookies["inspectorate-session"].map { "inspectorate-session=\($0)" } }
        set {
            if let value = newValue?.split(separator: "=", maxSplits: 1).last {
                cookies["inspectorate-session"] = String(value)
            } else {
                cookies["inspectorate-session"] = nil
            }
        }
    }

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
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        return headers
    }

    private mutating func remember(_ response: TestingHTTPResponse) {
        for (name, value) in response.headers.setCookie?.all ?? [:] {
            cookies[name] = value.string.isEmpty ? nil : value.string
        }
    }

    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
        return String(html[range]).components(separatedBy: "value=\"").last?.dropLast().description
    }
}
