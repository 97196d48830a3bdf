/// Length beats complexity rules (NCSC and NIST 800-63B): a minimum length and a refusal
/// of passwords that appear on breach lists.
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 128

    public static func check(_ password: String, field: String = "password") throws {
        if password.count < minimumLength {
            throw FieldError(field, "Password must be at least \(minimumLength) characters")
        }
        if password.count > maximumLength {
            throw FieldError(field, "Password must be \(maximumLength) characters or fewer")
        }
        let lowered = password.lowercased()
        if commonPasswords.contains(lowered) || Set(lowered).count <= 2 {
            throw FieldError(field, "Password is too common: choose one that is harder to guess")
        }
    }

    /// Twelve-character-or-longer entries from public breach top lists.
    static let commonPasswords: Set<String> = [
        "123456789012", "1234567890123", "12345678901234", "123456789123",
        "password1234", "password12345", "password123!", "passwordpassword",
        "qwertyuiop12", "qwertyuiopasdf", "qwerty123456", "1q2w3e4r5t6y",
        "iloveyou1234", "abc123456789", "administrator", "administrator1",
        "letmein12345", "welcome12345", "welcome123456", "changeme1234",
        "trustno11234", "football1234", "baseball1234", "monkey123456",
        "sunshine1234", "princess1234", "superman1234", "starwars1234",
        "aaaaaaaaaaaa", "111111111111", "000000000000", "zaq12wsxcde3",
        "1qaz2wsx3edc", "qazwsxedcrfv", "asdfghjkl123", "mypassword12",
        "inspectorate", "inspectorate1", "police123456", "policepolice",
    ]
}
