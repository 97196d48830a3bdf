import Foundation

/// An indicator as a form, an API body or a YAML file gives it: every field as text, so
/// each problem can be named against the field it came from.
///
/// Rules (each broken one is a `FieldError` on the field named in brackets):
/// - code: lower-case letters, digits, `-`, `_`, `.`; at most 64 characters [`code`];
/// - title, definition and source must be given [`title`, `definition`, `source`];
/// - unit: `percentage`, `count`, `rate_per_100000` or `ratio`; a unit naming people or
///   free text is refused by design (`IndicatorUnit.parse`) [`unit`];
/// - kind: `input`, `output` or `outcome` [`kind`];
/// - polarity: `higher_is_better`, `lower_is_better` or `neither` [`polarity`];
/// - frequency: `month`, `quarter` or `financial_year` [`frequency`];
/// - applies_to: one or more organisation kinds (`territorial_force`…) [`applies_to`];
/// - each target: a value allowed by the unit, a date `YYYY-MM-DD`, an optional
///   organisation code; no target when neither direction is better; one national target
///   and one per organisation at most [`targets[i].value`, `.date`, `.organisation`].
public struct IndicatorDraft: Equatable, Sendable {
    public struct Target: Equatable, Sendable {
        public var value: String
        public var date: String
        /// Empty or nil for the national target.
        public var organisation: String?

        public init(value: String, date: String, organisation: String? = nil) {
            self.value = value
            self.date = date
            self.organisation = organisation
        }
    }

    public var code: String
    public var title: String
    public var definition: String
    public var unit: String
    public var kind: String
    public var polarity: String
    public var source: String
    public var caveats: [String]
    public var frequency: String
    public var appliesTo: [String]
    public var targets: [Target]

    public init(
        code: String = "", title: String = "", definition: String = "", unit: String = "", kind: String = "", polarity: String = "",
        source: String = "", caveats: [String] = [], frequency: String = "", appliesTo: [String] = [], targets: [Target] = []
    ) {
        self.code = code
        self.title = title
        self.definition = definition
        self.unit = unit
        self.kind = kind
        self.polarity = polarity
        self.source = source
        self.caveats = caveats
        self.frequency = frequency
        self.appliesTo = appliesTo
        self.targets = targets
    }

    /// The indicator, or every problem at once.
    /// - Parameter prefix: put before each field name (`indicators[2].`), for files.
    /// - Throws: `ValidationErrors`.
    public func validated(prefix: String = "") throws -> Indicator {
        var errors = ValidationErrors()
        func choice<T: RawRepresentable & CaseIterable>(_ text: String, _ field: String, _ what: String) -> T? where T.RawValue == String {
            let key = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if let value = T(rawValue: key) { return value }
            let options = T.allCases.map(\.rawValue).joined(separator: ", ")
            errors.add(prefix + field, key.isEmpty ? "Choose \(what): \(options)" : "\"\(text)\" is not \(what); use one of \(options)")
            return nil
        }
        var unit: IndicatorUnit?
        do { unit = try IndicatorUnit.parse(self.unit, field: prefix + "unit") } catch let error as FieldError {
            errors.errors.append(error)
        } catch {}
        let kind: IndicatorKind? = choice(kind, "kind", "a kind")
        let polarity: Polarity? = choice(polarity, "polarity", "a polarity")
        let frequency: ReportingFrequency? = choice(frequency, "frequency", "a reporting frequency")
        var kinds: [OrganisationKind] = []
        for (index, text) in appliesTo.enumerated() {
            if let kind: OrganisationKind = choice(text, "applies_to[\(index)]", "a kind of organisation") { kinds.append(kind) }
        }
        var targets: [IndicatorTarget] = []
        for (index, target) in self.targets.enumerated() {
            let field = "\(prefix)targets[\(index)]"
            let valueText = target.value.trimmingCharacters(in: .whitespaces)
            let value = Double(valueText).flatMap { $0.isFinite ? $0 : nil }
            if value == nil {
                errors.add("\(field).value", valueText.isEmpty ? "Enter the target value" : "\"\(target.value)\" is not a number")
            }
            var date: CivilDate?
            do { date = try CivilDate.parse(target.date, field: "\(field).date") } catch let error as FieldError {
                errors.errors.append(error)
            } catch {}
            let organisation = target.organisation.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            // A target with a bad value or date is reported above; a placeholder keeps the
            // positions of the ones after it, so their errors name the right index.
            targets.append(
                IndicatorTarget(
                    value: value ?? 0, date: date ?? ReportingPeriod.financialYear(startYear: 2009).start, organisation: organisation))
        }
        let trimmed = { (text: String) in text.trimmingCharacters(in: .whitespacesAndNewlines) }
        var rules = ValidationErrors()
        Indicator.check(
            code: trimmed(code), title: trimmed(title), definition: trimmed(definition), source: trimmed(source),
            appliesTo: appliesTo.count,
            unit: unit, polarity: polarity, targets: targets, prefix: prefix, into: &rules)
        // A target value that is not a number has been reported already; drop the range
        // message the placeholder would add.
        let unreadable = Set(errors.errors.map(\.field))
        errors.errors += rules.errors.filter { !unreadable.contains($0.field) }
        try errors.throwIfAny()
        guard let unit, let kind, let polarity, let frequency else { throw errors }
        do {
            return try Indicator(
                code: code, title: title, definition: definition, unit: unit, kind: kind, polarity: polarity, source: source,
                caveats: caveats,
                frequency: frequency, appliesTo: kinds, targets: targets)
        } catch let problems as ValidationErrors {
            throw ValidationErrors(problems.errors.map { FieldError(prefix + $0.field, $0.message) })
        }
    }
}
