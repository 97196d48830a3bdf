import Foundation

/// E-mail addresses are compared case-insensitively, so they are stored lower-cased.
public enum EmailAddress {
    public static func normalise(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
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
