import Foundation
import InspectorateCore

/// The fields an administrator sets on an account. Absent means "leave unchanged".
struct UserChanges: Sendable {
    var email: String?
    var displayName: String?
    var role: Role?
    /// Home organisation by code; an empty string clears it.
    var organisationCode: String?
    var active: Bool?
    var vettingLevel: VettingLevel?
    var vettingGranted: Date??
    var vettingExpires: Date??
    /// The vetting authority's reference for a grant (its case or certificate number).
    var vettingReference: String?
    /// Problems found while reading a form, reported together with the rest.
    var problems: [FieldError] = []
}

enum PasswordGenerator {
    /// Four groups of five from an alphabet without look-alikes: about 100 bits, and easy
    /// to type from a console.
    static func generate() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        }.joined(separator: "-")
    }
}
