import Foundation

/// How names from other people's files are compared: case, spacing, punctuation and
/// "&" against "and" do not matter. Matching then goes through explicit aliases only,
/// so a name that is merely similar is reported rather than guessed.
public enum NameKey {
    public static func make(_ name: String) -> String {
        let lowered = name.lowercased().replacingOccurrences(of: "&", with: " and ")
        let kept = lowered.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : " " }
        return String(kept).split(separator: " ").joined(separator: " ")
    }
}

/// Organisation short codes: stable, lower-case, hyphenated (`west-midlands`).
public enum OrganisationCode {
    public static func validate(_ code: String, field: String = "code") throws {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789-")
        if code.isEmpty { throw FieldError(field, "Enter a code") }
        if code.count > 64 { throw FieldError(field, "Code must be 64 characters or fewer") }
        if code.unicodeScalars.contains(where: { !allowed.contains($0) }) || code.hasPrefix("-") || code.hasSuffix("-")
            || code.contains("--")
        {
            throw FieldError(field, "Code must use lower-case letters, digits and single hyphens, like west-midlands")
        }
    }

    /// A suggested code for a new organisation's name.
    public static func suggest(from name: String) -> String {
        NameKey.make(name).replacingOccurrences(of: " ", with: "-")
    }
}
