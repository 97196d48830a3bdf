import Fluent
import InspectorateCore
import NIOConcurrencyHelpers
import Vapor

enum SignInService {
    /// The same answer for an unknown address, a wrong password and a disabled account,
    /// so the form cannot be used to find out who has an account.
    static let failure = DomainError.unauthenticated("The e-mail address or password is incorrect")

    /// Every attempt, successful or not, goes into the audit trail under the address typed.
    static func authenticate(
        email rawEmail: String, password: String, address: String, caller: Caller,
        hasher: AsyncPasswordHasher, cost: Int, on db: any Database
    ) async throws -> User {
        let email = EmailAddress.normalise(rawEmail)
        if email.isEmpty { throw FieldError("email", "Enter your e-mail address") }
        // No address is longer (RFC 5321); a longer one is nobody's and is not kept anywhere.
        if email.utf8.count > 254 { throw FieldError("email", "Enter an e-mail address of at most 254 characters") }
        if password.isEmpty { throw FieldError("password", "Enter your password") }
        var attempt = caller
        attempt.email = email
        if case .refused(let message, let first) = try await LoginThrottle.signIn(email: email, address: address, now: caller.now, on: db) {
            // One entry per window, however many refused attempts follow it.
            if first {
                try await Audit.record(
                    AuditEvent(action: "sign-in", outcome: .denied, detail: "throttled, from \(address)"), caller: attempt, on: db)
            }
            throw DomainError.throttled(message)
        }
        let user = try await UserService.find(email: email, on: db)
        // Verify against something even for unknown users, at the configured cost, so the
        // time taken does not tell known addresses from unknown ones.
        let dummy = try await dummyHash(hasher, cost: cost)
        let digest = user?.passwordHash ?? dummy
        let matches = (try? await hasher.verify(password, created: digest).get()) ?? false
        guard let user, matches, user.active else {
            try await LoginThrottle.purge(now: caller.now, on: db)
            var who = attempt
            who.userID = user?.id
            let reason = user == nil ? "no such account" : (matches ? "account disabled" : "wrong password")
            try await Audit.record(
                AuditEvent(
                    action: "sign-in", recordType: user == nil ? "" : "user", recordID: user?.id?.uuidString ?? "",
                    outcome: .failure, detail: "\(reason), from \(address)"), caller: who, on: db)
            throw failure
        }
        try await LoginThrottle.clear(LoginThrottle.accountKey(email), on: db)
        try await Audit.record(
            AuditEvent(
                action: "sign-in", recordType: "user", recordID: try user.requireID().uuidString,
                organisationID: user.$organisation.id, detail: "from \(address)"),
            caller: caller.acting(as: user), on: db)
        return user
    }

    /// A hash, made with the deployment's own hasher and cost, of a random string nobody
    /// knows: checking a password against it takes as long as against a real account's.
    /// Kept per cost, so each application in one process (tests) gets one of its own cost.
    static func dummyHash(_ hasher: AsyncPasswordHasher, cost: Int) async throws -> String {
        if let known = dummies.withLockedValue({ $0[cost] }) { return known }
        let made = try await hasher.hash(UUID().uuidString + UUID().uuidString).get()
        dummies.withLockedValue { $0[cost] = $0[cost] ?? made }
        return made
    }

    private static let dummies = NIOLockedValueBox<[Int: String]>([:])
}
