import Fluent
import InspectorateCore
import Vapor

extension Application {
    /// The account an operator acts as at the command line (`--as EMAIL`): an active
    /// account, whose role, organisation, vetting and groups then apply exactly as if they
    /// had signed in; the trail names them and the operator's session.
    /// - Throws: `FieldError` on `as` for a missing or unknown e-mail or a disabled account.
    func commandLineCaller(as email: String?) async throws -> (User, Caller) {
        guard let email, !email.isEmpty else { throw FieldError("as", "give --as EMAIL: the account to act as") }
        guard let user = try await UserService.find(email: email, on: db), user.active else {
            throw FieldError("as", "no active account has the e-mail address \(EmailAddress.normalise(email))")
        }
        var caller = commandLineCaller().acting(as: user)
        caller.email = "\(user.email) via the command line"
        return (user, caller)
    }
}
