import Foundation

/// Where an indicator sits in the chain from resources to results. Stored by raw value.
public enum IndicatorKind: String, CaseIterable, Codable, Sendable {
    /// Resources put in (staff in post per 100,000 population).
    case input
    /// Work done (community contacts recorded, referrals received).
    case output
    /// What changed as a result (partners with an agreed information-sharing protocol).
    case outcome

    public var displayName: String { rawValue.capitalized }
}

/// Which way is better. Stored by raw value.
public enum Polarity: String, CaseIterable, Codable, Sendable {
    case higherIsBetter = "higher_is_better"
    case lowerIsBetter = "lower_is_better"
    /// Neither is better: a figure given for context (a count of referrals is not a score,
    /// more is not better and fewer is not better). Such an indicator takes no target and
    /// shows movement without calling it better or worse.
    case neither

    public var displayName: String {
        switch self {
        case .higherIsBetter: "Higher is better"
        case .lowerIsBetter: "Lower is better"
        case .neither: "Neither higher nor lower is better (context only)"
        }
    }
}

/// A value to reach by a date, for every organisation (national, `organisation` nil) or for
/// one organisation, which then replaces the national target for it.
public struct IndicatorTarget: Equatable, Hashable, Sendable, Codable {
    public var value: Double
    /// The day by which the value is to be reached.
    public var date: CivilDate
    /// Organisation code, or nil for the national target.
    public var organisation: String?

    public init(value: Double, date: CivilDate, organisation: String? = nil) {
        self.value = value
        self.date = date
        self.organisation = organisation
    }

    public var isNational: Bool { organisation == nil }

    /// Whether `value` meets the target: at or above it when higher is better, at or below
    /// it when lower is better; nil when the indicator has no better direction.
    public func isMet(by value: Double, polarity: Polarity) -> Bool? {
        switch polarity {
        case .higherIsBetter: value >= self.value
        case .lowerIsBetter: value <= self.value
        case .neither: nil
        }
    }

    /// Whether the target's date falls on or before the last day of `period`: a value for
    /// such a period is judged against the target; before that it shows progress only.
    public func isDue(by period: ReportingPeriod) -> Bool { date <= period.end }
}

/// An indicator, as data: what is counted, in what unit, which way is better, where the
/// figures come from and what to be careful of, how often, for which kinds of organisation,
/// and any target. Built through `IndicatorDraft.validated()` or `Indicator.init`, which
/// check every field (see `IndicatorDraft` for the rules).
///
/// Values are figures for one organisation and one period, never about a person: the unit
/// has no case for people and no free text (`IndicatorUnit.parse`).
public struct Indicator: Equatable, Sendable, Codable, Identifiable {
    /// Stable lower-case code (`prevent-isp-partners`).
    public let code: String
    public let title: String
    /// What exactly is counted, and how, in a sentence or two.
    public let definition: String
    public let unit: IndicatorUnit
    public let kind: IndicatorKind
    public let polarity: Polarity
    /// Who collects the figures, and the publication or return they come from.
    public let source: String
    /// What to be careful of, printed beside the figures.
    public let caveats: [String]
    public let frequency: ReportingFrequency
    /// Kinds of organisation that report it.
    public let appliesTo: [OrganisationKind]
    /// At most one national target and at most one per organisation.
    public let targets: [IndicatorTarget]

    public var id: String { code }

    /// - Throws: `ValidationErrors` naming each bad field (`code`, `title`, `targets[0].value`…).
    public init(
        code: String, title: String, definition: String, unit: IndicatorUnit, kind: IndicatorKind, polarity: Polarity, source: String,
        caveats: [String] = [], frequency: ReportingFrequency, appliesTo: [OrganisationKind], targets: [IndicatorTarget] = []
    ) throws {
        self.code = code.trimmingCharacters(in: .whitespacesAndNewlines)
        self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        self.definition = definition.trimmingCharacters(in: .whitespacesAndNewlines)
        self.unit = unit
        self.kind = kind
        self.polarity = polarity
        self.source = source.trimmingCharacters(in: .whitespacesAndNewlines)
        self.caveats = caveats.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        self.frequency = frequency
        var kinds: [OrganisationKind] = []
        for kind in appliesTo where !kinds.contains(kind) { kinds.append(kind) }
        self.appliesTo = kinds
        self.targets = targets
        var errors = ValidationErrors()
        Self.check(
            code: self.code, title: self.title, definition: self.definition, source: self.source, appliesTo: kinds.count, unit: unit,
            polarity: polarity, targets: targets, into: &errors)
        try errors.throwIfAny()
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            code: try container.decode(String.self, forKey: .code), title: try container.decode(String.self, forKey: .title),
            definition: try container.decode(String.self, forKey: .definition),
            unit: try container.decode(IndicatorUnit.self, forKey: .unit),
            kind: try container.decode(IndicatorKind.self, forKey: .kind), polarity: try container.decode(Polarity.self, forKey: .polarity),
            source: try container.decode(String.self, forKey: .source),
            caveats: try container.decodeIfPresent([String].self, forKey: .caveats) ?? [],
            frequency: try container.decode(ReportingFrequency.self, forKey: .frequency),
            appliesTo: try container.decode([OrganisationKind].self, forKey: .appliesTo),
            targets: try container.decodeIfPresent([IndicatorTarget].self, forKey: .targets) ?? [])
    }

    /// Whether organisations of `kind` report this indicator.
    public func applies(to kind: OrganisationKind) -> Bool { appliesTo.contains(kind) }

    /// The target that applies to `organisation`: its own if it has one, else the national one.
    public func target(for organisation: String?) -> IndicatorTarget? {
        if let organisation, let own = targets.first(where: { $0.organisation == organisation }) { return own }
        return nationalTarget
    }

    public var nationalTarget: IndicatorTarget? { targets.first(where: \.isNational) }

    /// The rules every indicator keeps, whoever builds it. `unit` and `polarity` are nil when
    /// the caller could not read them (a draft), and the target checks that need them are skipped.
    /// - Parameter appliesTo: how many kinds of organisation were given.
    static func check(
        code: String, title: String, definition: String, source: String, appliesTo: Int, unit: IndicatorUnit?, polarity: Polarity?,
        targets: [IndicatorTarget], prefix: String = "", into errors: inout ValidationErrors
    ) {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789-_.")
        if code.isEmpty {
            errors.add(prefix + "code", "Enter a code")
        } else if code.count > 64 || code.unicodeScalars.contains(where: { !allowed.contains($0) }) {
            errors.add(
                prefix + "code",
                "Code must be 64 characters or fewer of lower-case letters, digits, '-', '_' and '.', like prevent-isp-partners")
        }
        if title.isEmpty { errors.add(prefix + "title", "Enter a title") }
        if definition.isEmpty { errors.add(prefix + "definition", "Say exactly what is counted and how") }
        if source.isEmpty { errors.add(prefix + "source", "Say where the figures come from") }
        if appliesTo == 0 { errors.add(prefix + "applies_to", "Choose at least one kind of organisation") }
        var scopes: Set<String> = []
        for (index, target) in targets.enumerated() {
            let field = "\(prefix)targets[\(index)]"
            if polarity == .neither {
                errors.add("\(field).value", "An indicator where neither higher nor lower is better cannot have a target")
            } else if let problem = unit?.problem(with: target.value) {
                errors.add("\(field).value", problem)
            }
            if let organisation = target.organisation {
                do { try OrganisationCode.validate(organisation, field: "\(field).organisation") } catch let error as FieldError {
                    errors.errors.append(error)
                } catch {}
            }
            if !scopes.insert(target.organisation ?? "").inserted {
                errors.add(
                    "\(field).organisation",
                    target.organisation.map { "\($0) already has a target for this indicator" }
                        ?? "There is already a national target for this indicator")
            }
        }
    }
}
