import Foundation

/// A security marking scheme, as data: a deployment chooses one (Government Security
/// Classifications, the 2009 Protective Marking Scheme, or its own).
public struct MarkingScheme: Equatable, Sendable {
    public struct Level: Equatable, Sendable {
        public var code: String
        public var name: String
        public var description: String
        /// The least vetting that may read information at this level.
        public var minimumVetting: VettingLevel
        /// Descriptors the level allows (e.g. PERSONAL, COMMERCIAL); empty allows none.
        public var descriptors: [String]
        /// PROTECT, for instance, is never used without a descriptor.
        public var descriptorRequired: Bool
        /// OFFICIAL-SENSITIVE is a handling caveat on OFFICIAL rather than a level of its own.
        public var caveatOf: String?

        public init(
            code: String, name: String, description: String, minimumVetting: VettingLevel,
            descriptors: [String] = [], descriptorRequired: Bool = false, caveatOf: String? = nil
        ) {
            self.code = code
            self.name = name
            self.description = description
            self.minimumVetting = minimumVetting
            self.descriptors = descriptors
            self.descriptorRequired = descriptorRequired
            self.caveatOf = caveatOf
        }
    }

    public var code: String
    public var title: String
    public var source: String
    /// Lowest first: the order in which a marking is "raised".
    public var levels: [Level]
    /// The marking each kind of record gets when none is chosen (`RecordType` raw values).
    public var defaults: [String: String]

    public init(code: String, title: String, source: String, levels: [Level], defaults: [String: String]) {
        self.code = code
        self.title = title
        self.source = source
        self.levels = levels
        self.defaults = defaults
    }

    public func level(_ code: String) -> Level? {
        levels.first { $0.code == code }
    }

    public func rank(of code: String) -> Int? {
        levels.firstIndex { $0.code == code }
    }

    /// The level codes a reader with `vetting` may read: what the database filter uses.
    public func readableLevels(with vetting: VettingLevel) -> [String] {
        levels.filter { $0.minimumVetting <= vetting }.map(\.code)
    }

    public func defaultMarking(for type: RecordType) -> Marking {
        Marking(level: defaults[type.rawValue] ?? levels[0].code)
    }

    /// Whether `new` releases a record to more readers than `old` did: a lower level, or the
    /// same level with fewer descriptors.
    public func isDowngrade(from old: Marking, to new: Marking) -> Bool {
        guard let before = rank(of: old.level), let after = rank(of: new.level) else { return false }
        return after < before || (after == before && !Set(old.descriptors).isSubset(of: Set(new.descriptors)))
    }

    /// A marking lowered must be confirmed as well as explained: the text goes to more people.
    public func downgradeRefusal(from old: Marking, to new: Marking, confirmed: Bool) -> DomainError? {
        guard isDowngrade(from: old, to: new), !confirmed else { return nil }
        return .incomplete(
            field: "confirm_downgrade",
            message: "Lowering the marking from \(old) to \(new) lets more people read it: confirm the downgrade", missing: [])
    }

    /// Checks a marking chosen for a record; `field` names the form or API field.
    public func check(_ marking: Marking, field: String = "marking") -> [FieldError] {
        guard let level = level(marking.level) else {
            return [FieldError(field, "Choose one of the markings of the \(title): \(levels.map(\.code).joined(separator: ", "))")]
        }
        var problems: [FieldError] = []
        for descriptor in marking.descriptors where !level.descriptors.contains(descriptor) {
            problems.append(
                FieldError(
                    "descriptors",
                    level.descriptors.isEmpty
                        ? "\(level.code) takes no descriptors"
                        : "\(descriptor) is not a descriptor of \(level.code): use \(level.descriptors.joined(separator: ", "))"))
        }
        if level.descriptorRequired && marking.descriptors.isEmpty {
            problems.append(
                FieldError("descriptors", "\(level.code) must carry a descriptor: one of \(level.descriptors.joined(separator: ", "))"))
        }
        if Set(marking.descriptors).count != marking.descriptors.count {
            problems.append(FieldError("descriptors", "Give each descriptor once"))
        }
        return problems
    }
}

/// The marking a record carries: a level of the scheme and optional descriptors.
public struct Marking: Equatable, Hashable, Codable, Sendable, CustomStringConvertible {
    public var level: String
    public var descriptors: [String]

    public init(level: String, descriptors: [String] = []) {
        self.level = level
        self.descriptors = descriptors
    }

    /// Reads "OFFICIAL-SENSITIVE" and a descriptor list such as "PERSONAL, COMMERCIAL".
    public static func parse(level: String, descriptors: String?) -> Marking {
        Marking(
            level: level.trimmingCharacters(in: .whitespaces).uppercased(),
            descriptors: splitDescriptors(descriptors))
    }

    public static func splitDescriptors(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "," || $0 == ";" })
            .map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
    }

    /// As stored and shown: "OFFICIAL-SENSITIVE PERSONAL".
    public var description: String {
        ([level] + descriptors).joined(separator: " ")
    }

    public var storedDescriptors: String { descriptors.joined(separator: ",") }

    /// As stored: the level and its descriptors joined by commas.
    public init(level: String, storedDescriptors: String) {
        self.init(level: level, descriptors: storedDescriptors.split(separator: ",").map(String.init))
    }
}

/// The kinds of record that hold information and so carry a marking.
public enum RecordType: String, CaseIterable, Codable, Sendable {
    case riskTierRationale = "risk_tier_rationale"
    case sharedDocument = "shared_document"
    case sharedNote = "shared_note"
    case inspectionNarrative = "inspection_narrative"
    case evidence = "evidence"

    public var displayName: String {
        switch self {
        case .riskTierRationale: "Risk tier rationale"
        case .sharedDocument: "Shared document"
        case .sharedNote: "Shared note"
        case .inspectionNarrative: "Inspection narrative"
        case .evidence: "Inspection evidence"
        }
    }
}
