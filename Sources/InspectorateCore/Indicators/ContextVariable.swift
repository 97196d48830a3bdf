import Foundation

/// A declared fact about an organisation's setting, used to find its most similar
/// organisations: its size, its officers, its type of area. Never a fact about who lives
/// there (see `refusedWords`).
public struct ContextVariable: Equatable, Hashable, Sendable, Codable {
    public enum Kind: String, Codable, Sendable {
        /// A number (population, officers in post, square kilometres).
        case number
        /// A category that must match (area type: urban, mixed, rural).
        case category
    }

    /// Snake-case name (`population`, `area_type`).
    public let name: String
    public let kind: Kind
    /// Compare on a logarithmic scale: for sizes that run from thousands to millions, so
    /// that the largest organisation does not set everyone's distance. Numbers only; values
    /// must then be above zero.
    public let logarithmic: Bool
    /// What it is and where it comes from, for the page.
    public let label: String

    /// - Throws: `FieldError` on `name` when the name or label describes a protected
    ///   characteristic of the population (`refusedWords`), or when the name is empty.
    public init(name: String, kind: Kind, logarithmic: Bool = false, label: String = "") throws {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw FieldError("name", "Enter the variable's name") }
        if let word = Self.refusedWord(in: trimmed + " " + label) {
            throw FieldError(
                "name",
                "\"\(trimmed)\" is refused: most-similar groups are never made from the ethnicity, religion or other protected characteristics of the people in an area (\"\(word)\")"
            )
        }
        if logarithmic && kind == .category { throw FieldError("logarithmic", "Only a number can be compared on a logarithmic scale") }
        self.name = trimmed
        self.kind = kind
        self.logarithmic = logarithmic
        self.label = label.trimmingCharacters(in: .whitespaces)
    }

    /// Words that refuse a variable, matched against the words of its name and label
    /// (lower-cased; a word is refused when it starts with one of `refusedStems` or equals
    /// one of `refusedWords`). They are the protected characteristics of the Equality Act
    /// 2010, section 4 (age, disability, gender reassignment, marriage and civil partnership,
    /// pregnancy and maternity, race — colour, nationality, ethnic or national origins —,
    /// religion or belief, sex, sexual orientation), the names of groups and places of
    /// worship that stand in for them, and language and country of birth. Early Prevent
    /// funding followed the size of the local Muslim population and was found to alienate
    /// the community it sought to engage (Communities and Local Government Committee,
    /// *Preventing Violent Extremism*, March 2010; DOMAIN.md, Funding): comparison groups
    /// must not repeat that.
    public static let refusedStems = [
        "ethnic", "racial", "religio", "belief", "faith", "muslim", "islam", "christian", "jewish", "judais", "hindu", "sikh",
        "buddhis", "nationalit", "migrant", "immigra", "emigra", "asylum", "refugee", "minorit", "caste", "gender", "sexual",
        "disab", "pregnan", "maternit", "marri", "civil_partner", "birth", "language", "mosque", "church", "synagogue", "gurdwara",
        "temple", "worship", "demograph",
    ]
    public static let refusedWords: Set<String> = [
        "race", "races", "age", "ages", "aged", "sex", "bame", "bme", "white", "black", "asian", "arab", "roma", "gypsy",
        "traveller", "travellers", "colour", "color",
    ]

    /// The first refused word in `text`, if any.
    public static func refusedWord(in text: String) -> String? {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        for word in words {
            if refusedWords.contains(word) { return word }
            if refusedStems.contains(where: { word.hasPrefix($0) }) { return word }
        }
        // Stems of two words (`civil_partner`) against the words joined, however written.
        let joined = words.joined(separator: "_")
        return refusedStems.first { $0.contains("_") && joined.contains($0) }
    }

    /// The variable in words: `population (a number, compared on a logarithmic scale)`.
    public var described: String {
        let what = kind == .category ? "a category that must match" : logarithmic ? "a number, compared on a logarithmic scale" : "a number"
        return "\(label.isEmpty ? name : label) (\(what))"
    }
}

/// One organisation's declared context.
public struct OrganisationContext: Equatable, Sendable, Codable {
    public var organisation: String
    public var numbers: [String: Double]
    public var categories: [String: String]

    public init(organisation: String, numbers: [String: Double] = [:], categories: [String: String] = [:]) {
        self.organisation = organisation
        self.numbers = numbers
        self.categories = categories
    }
}
