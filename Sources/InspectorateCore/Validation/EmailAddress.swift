import Foundation

/// E-mail addresses are identities: the same address typed composed (`é`) or decomposed
/// (`e` + combining accent), in any case, is one account. Normalised once, at every edge.
public enum EmailAddress {
    /// Unicode NFC, then lower case, without surrounding space (ENGINEERING-NOTES, Unicode).
    public static func normalise(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping.lowercased()
            .precomposedStringWithCanonicalMapping
    }

    /// Deliberately loose: one `@`, something either side, a dot in the domain, no spaces.
    /// Deliverability is proven by use, not by a pattern.
    public static func isPlausible(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !address.contains(where: { $0.isWhitespace }), address.count <= 254
        else { return false }
        return true
    }
}
