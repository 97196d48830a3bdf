import Fluent
import Vapor
import InspectorateCore

enum SignInService {
    /// The same answer for an unknown address, a wrong password and a disabled account,
    /// so the form cannot be used to find out who has an account.
    static let failure = AppError(status: .unauthorized, code: "invalid_credentials",
                                  message: "The e-mail address or password is incorrect", field: "email")

    static func authenticate(email rawEmail: String, password: String, address: String,
                             hasher: AsyncPasswordHasher, on db: any Database) async throws -> User {
        let email = EmailAddress.normalise(rawEmail)
        if email.isEmpty { throw AppError.invalid("email", "Enter your e-mail address") }
        if password.isEmpty { throw AppError.invalid("password", "Enter your password") }
        try await LoginThrottle.check(email: email, address: address, on: db)
        let user = try await UserService.find(email: email, on: db)
        // Verify against something even for unknown users, so timing does not tell.
        let digest = user?.passwordHash ?? dummyHash
        let matches = (try? await hasher.verify(password, created: digest).get()) ?? false
        guard let user, matches, user.active else {
            try await LoginThrottle.recordFailure(email: email, address: address, on: db)
            throw failure
        }
        try await LoginThrottle.recordSuccess(email: email, on: db)
        return user
    }

    /// A bcrypt hash of a random string nobody knows.
    static let dummyHash = "$2b$12$C6UzMDM.H6dfI/f/IKxGhuV8v0mBZ6PqRJ9r6vWqu1nUpl5uNQzTa"
}
