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

    /// A code for a new organisation's name: accents dropped (`Cyngor Sir Ynys Môn` gives
    /// `cyngor-sir-ynys-mon`), "&" read as "and", every other run of non-letters a single
    /// hyphen, at most 64 characters cut at a hyphen. Empty when the name has no letter or
    /// digit of the Latin alphabet to make one from.
    public static func suggest(from name: String) -> String {
        let folded = name.replacingOccurrences(of: "&", with: " and ")
            .folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_GB"))
            .replacingOccurrences(of: "ß", with: "ss").replacingOccurrences(of: "æ", with: "ae").replacingOccurrences(of: "ø", with: "o")
            .replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "ł", with: "l").replacingOccurrences(of: "đ", with: "d")
        var code = ""
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                code.unicodeScalars.append(scalar)
            } else if !code.isEmpty && !code.hasSuffix("-") {
                code.append("-")
            }
        }
        while code.hasSuffix("-") { code.removeLast() }
        if code.count > 64 {
            code = String(code.prefix(64))
            if let cut = code.lastIndex(of: "-") { code = String(code[..<cut]) }
        }
        return code
    }
}

/// Finds an organisation from what a person or a file calls it: its code exactly, or its
/// name or any alias compared by `NameKey` (case, spacing, punctuation, "&"). A name two
/// organisations answer to (a name, an alias or a code of each) is ambiguous and matches
/// neither, so a row is never filed under the wrong organisation. One rule for imports,
/// bulk moves and cycle scopes.
public struct OrganisationNameIndex: Sendable {
    /// Marks a key more than one organisation answers to.
    public static let ambiguous = -1

    public let codes: [String: Int]
    /// Name keys to positions, `ambiguous` where two organisations share one.
    public let names: [String: Int]

    /// - Parameter organisations: each organisation's code, name and aliases, by position.
    public init(_ organisations: [(code: String, name: String, aliases: [String])]) {
        var codes: [String: Int] = [:]
        var names: [String: Int] = [:]
        for (index, organisation) in organisations.enumerated() {
            codes[organisation.code] = index
            for name in [organisation.code, organisation.name] + organisation.aliases {
                let key = NameKey.make(name)
                guard !key.isEmpty else { continue }
                if let known = names[key], known != index { names[key] = Self.ambiguous } else { names[key] = index }
            }
        }
        self.codes = codes
        self.names = names
    }

    public enum Match: Equatable, Sendable {
        case found(Int)
        case ambiguous
        case unknown
    }

    public func match(_ text: String) -> Match {
        if let index = codes[text] { return .found(index) }
        switch names[NameKey.make(text)] {
        case .none: return .unknown
        case .some(Self.ambiguous): return .ambiguous
        case .some(let index): return .found(index)
        }
    }
}
