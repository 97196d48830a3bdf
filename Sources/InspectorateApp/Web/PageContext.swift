import InspectorateCore
import Vapor

/// What every page's layout needs: the title, who is signed in, what they may reach.
struct PageContext: Encodable {
    struct Viewer: Encodable {
        var displayName: String
        var role: String
        var isAdministrator: Bool
        var canRegisterPartners: Bool
    }

    var title: String
    var viewer: Viewer?
    var csrf: String
    var flash: String?
    /// A refusal carried over a redirect: shown as a problem, never as a success.
    var flashProblem: String?
    var path: String
    /// The part of the site the page belongs to (`organisations`, `cycles`…): the first
    /// segment of its path, for marking the current link in the navigation.
    var section: String

    /// `forms: false` for pages that have no form of their own (error pages), so that an
    /// anonymous visitor is not given a session just for looking.
    init(title: String, req: Request, forms: Bool = true) {
        self.title = title
        self.path = req.url.path
        self.section = req.url.path.split(separator: "/").first.map(String.init) ?? ""
        self.csrf = forms || req.auth.has(User.self) ? req.csrfToken : ""
        if let user = req.auth.get(User.self), let principal = try? user.principal {
            viewer = Viewer(
                displayName: user.displayName, role: user.role.displayName,
                isAdministrator: AccessRule.canManageUsers(principal),
                canRegisterPartners: AccessRule.canRegisterPartners(principal))
        }
        if req.hasSession, let flash = req.session.data["flash"] {
            self.flash = flash
            req.session.data["flash"] = nil
        }
        if req.hasSession, let problem = req.session.data["flash_problem"] {
            flashProblem = problem
            req.session.data["flash_problem"] = nil
        }
    }
}

/// A form's state when it is shown again: what was typed, and what is wrong with it.
struct FormState: Encodable {
    struct Problem: Encodable {
        var field: String
        var message: String
    }

    var values: [String: String]
    var problems: [Problem]
    /// Per field, for the message beside the input.
    var fieldErrors: [String: String]

    init(values: [String: String] = [:], problems: [FieldError] = []) {
        self.values = values
        self.problems = problems.map { Problem(field: $0.field, message: $0.message) }
        self.fieldErrors = Dictionary(problems.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
    }

    /// Turns any error a service threw into the problems a form can show, or rethrows
    /// errors that are not about what the person typed (not found, unavailable, a bug),
    /// which the error page answers.
    static func problems(from error: any Error) throws -> [FieldError] {
        switch error {
        case let error as FieldError: return [error]
        case let errors as ValidationErrors: return errors.errors
        case let error as DomainError:
            switch error {
            case .forbidden(let reason, let field): return [FieldError(field ?? "form", reason)]
            case .conflict(let field, let message): return [FieldError(field ?? "form", message)]
            case .refused(let field, let message, let needed):
                return [FieldError(field ?? "form", message)] + needed.map { FieldError(field ?? "form", $0) }
            case .incomplete(let field, let message, let missing):
                return [FieldError(field ?? "form", message)] + missing.map { FieldError(field ?? "form", $0) }
            case .stale: return [FieldError("version", error.description)]
            case .throttled(let message), .unauthenticated(let message): return [FieldError("email", message)]
            case .notFound, .unavailable: throw error
            }
        case let error as FrameworkInvalid: return error.problems.map { FieldError($0.path.isEmpty ? "document" : $0.path, $0.message) }
        case let error as FileInvalid:
            return error.problems.map { FieldError($0.line.map { "line \($0)" } ?? "file", $0.message) }
        case let error as ImportError: return [FieldError(error.column ?? "file", error.description)]
        default: throw error
        }
    }

    /// The status a page shown again with these problems answers with: as the API would.
    static func status(of error: any Error) -> HTTPResponseStatus {
        HTTPProblem(from: error, reader: nil).status
    }
}

extension Request {
    func flash(_ message: String) { session.data["flash"] = message }
    /// A refusal to show on the page redirected to.
    func flashProblem(_ message: String) { session.data["flash_problem"] = message }
}
