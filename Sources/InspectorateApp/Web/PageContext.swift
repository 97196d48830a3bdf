import Vapor
import InspectorateCore

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
    var path: String

    /// `forms: false` for pages that have no form of their own (error pages), so that an
    /// anonymous visitor is not given a session just for looking.
    init(title: String, req: Request, forms: Bool = true) {
        self.title = title
        self.path = req.url.path
        self.csrf = forms || req.auth.has(User.self) ? req.csrfToken : ""
        if let user = req.auth.get(User.self) {
            viewer = Viewer(displayName: user.displayName, role: user.role.displayName,
                            isAdministrator: AccessRule.canManageUsers(user.principal),
                            canRegisterPartners: AccessRule.canRegisterPartners(user.principal))
        }
        if req.hasSession, let flash = req.session.data["flash"] {
            self.flash = flash
            req.session.data["flash"] = nil
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
    /// errors that are not about the form's fields.
    static func problems(from error: any Error) throws -> [FieldError] {
        switch error {
        case let error as FieldError: return [error]
        case let errors as ValidationErrors: return errors.errors
        case let error as AppError where error.status == .unprocessableEntity || error.status == .conflict || error.status == .unauthorized || error.status == .tooManyRequests || (error.status == .forbidden && error.field != nil):
            return [FieldError(error.field ?? "form", error.message)]
        default: throw error
        }
    }
}

extension Request {
    func flash(_ message: String) { session.data["flash"] = message }
}
