import Foundation

/// A recommendation's reference, `{cycle}/{organisation code or "national"}/{n}`: for
/// example `prevent-2009/national/4` or `peel-2023/kent/2`. The cycle and organisation are
/// codes (lower-case letters, digits and single hyphens, as `OrganisationCode` checks);
/// `n` numbers the recommendations of that report from 1, written without leading zeros.
/// The middle part names whose report made the recommendation (an organisation's, or the
/// national or thematic report's), not who it is addressed to. `national` is reserved: no
/// organisation may be given that code in a reference.
public struct RecommendationReference: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Whose report the recommendation is in.
    public enum Scope: Hashable, Sendable {
        case national
        case organisation(String)

        /// As written in the reference.
        public var text: String {
            switch self {
            case .national: RecommendationReference.nationalWord
            case .organisation(let code): code
            }
        }
    }

    public static let nationalWord = "national"
    /// The largest number a report's recommendations reach.
    public static let maximumNumber = 9_999

    public let cycle: String
    public let scope: Scope
    public let number: Int

    /// - Throws: `FieldError` on `field` when the cycle or organisation is not a code, the
    ///   organisation is `national`, or the number is not in 1…9999.
    public init(cycle: String, scope: Scope, number: Int, field: String = "reference") throws {
        do { try OrganisationCode.validate(cycle, field: field) } catch let error as FieldError {
            throw FieldError(field, "The cycle in a reference: \(error.message)")
        }
        if case .organisation(let code) = scope {
            if code == Self.nationalWord {
                throw FieldError(field, "\"national\" stands for the national report; it is not an organisation's code")
            }
            do { try OrganisationCode.validate(code, field: field) } catch let error as FieldError {
                throw FieldError(field, "The organisation in a reference: \(error.message)")
            }
        }
        guard (1...Self.maximumNumber).contains(number) else {
            throw FieldError(field, "A recommendation's number runs from 1 to \(Self.maximumNumber)")
        }
        self.cycle = cycle
        self.scope = scope
        self.number = number
    }

    /// Reads `cycle/organisation-or-national/n` exactly; spaces at either end are ignored.
    /// - Throws: `FieldError` on `field`, saying which part is wrong.
    public static func parse(_ text: String, field: String = "reference") throws -> RecommendationReference {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else {
            throw FieldError(field, "\"\(text)\" is not a reference like prevent-2009/national/4 or peel-2023/kent/2")
        }
        let digits = parts[2]
        guard !digits.isEmpty, digits.count <= 4, digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
            !digits.hasPrefix("0"), let number = Int(digits)
        else {
            throw FieldError(
                field, "\"\(parts[2])\" in \"\(text)\" is not a recommendation number (1 to \(maximumNumber), no leading zeros)")
        }
        let scope: Scope = parts[1] == nationalWord ? .national : .organisation(parts[1])
        return try RecommendationReference(cycle: parts[0], scope: scope, number: number, field: field)
    }

    /// The recommendation after this one in the same report.
    public var next: RecommendationReference? {
        try? RecommendationReference(cycle: cycle, scope: scope, number: number + 1)
    }

    /// `cycle/scope/n`.
    public var description: String { "\(cycle)/\(scope.text)/\(number)" }

    /// By cycle, then report (national first), then number as a number (2 before 10).
    public static func < (lhs: RecommendationReference, rhs: RecommendationReference) -> Bool {
        func scopeKey(_ scope: Scope) -> (Int, String) {
            switch scope {
            case .national: (0, "")
            case .organisation(let code): (1, code)
            }
        }
        if lhs.cycle != rhs.cycle { return lhs.cycle < rhs.cycle }
        if lhs.scope != rhs.scope { return scopeKey(lhs.scope) < scopeKey(rhs.scope) }
        return lhs.number < rhs.number
    }

    public init(from decoder: any Decoder) throws {
        self = try Self.parse(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
