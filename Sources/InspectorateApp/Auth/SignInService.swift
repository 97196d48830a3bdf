import Fluent
import InspectorateCore
import Vapor

enum SignInService {
    /// The same answer for an unknown address, a wrong password and a disabled account,
    /// so the form cannot be used to find out who has an account.
    static let failure = DomainError.unauthenticated("The e-mail address or password is incorrect")

    /// Every attempt, successful or not, goes into the audit trail under the address typed.
    static func authenticate(
        email rawEmail: String, password: String, address: String, caller: Caller,
        hasher: AsyncPasswordHasher, on db: any Database
    ) async throws -> User {
        let email = EmailAddress.normalise(rawEmail)
        if email.isEmpty { throw FieldError("email", "Enter your e-mail address") }
        if password.isEmpty { throw FieldError("password", "Enter your password") }
        var attempt = caller
        attempt.email = email
        do {
            try await LoginThrottle.check(email: email, address: address, now: caller.now, on: db)
        } catch {
            try await Audit.record(
                AuditEvent(action: "sign-in", outcome: .denied, detail: "throttled, from \(address)"), caller: attempt, on: db)
            throw error
        }
        let user = try await UserService.find(email: email, on: db)
        // Verify against something even for unknown users, so timing does not tell.
        let digest = user?.passwordHash ?? dummyHash
        let matches = (try? await hasher.verify(password, created: digest).get()) ?? false
        guard let user, matches, user.active else {
            try await LoginThrottle.recordFailure(email: email, address: address, now: caller.now, on: db)
            var who = attempt
            who.userID = user?.id
            let reason = user == nil ? "no such account" : (matches ? "account disabled" : "wrong password")
            try await Audit.record(
                AuditEvent(
                    action: "sign-in", recordType: user == nil ? "" : "user", recordID: user?.id?.uuidString ?? "",
                    outcome: .failure, detail: "\(reason), from \(address)"), caller: who, on: db)
            throw failure
        }
        try await LoginThrottle.recordSuccess(email: email, on: db)
        try await Audit.record(
            AuditEvent(
                action: "sign-in", recordType: "user", recordID: try user.requireID().uuidString,
                organisationID: user.$organisation.id, detail: "from \(address)"),
            caller: caller.acting(as: user), on: db)
        return user
    }

    /// A bcrypt hash of a random string nobody knows.
    static let dummyHash = "$2b$12$C6UzMDM.H6dfI/f/IKxGhuV8v0mBZ6PqRJ9r6vWqu1nUpl5uNQzTa"
}
