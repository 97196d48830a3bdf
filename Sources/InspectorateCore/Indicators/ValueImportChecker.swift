import Foundation

/// Checks a CSV import of indicator values, `indicator,organisation,period,value[,status,note]`,
/// row by row as the file streams past (`CSVStreamReader`), and reports every bad row with
/// its line: an unknown indicator or organisation, an indicator that does not apply to the
/// organisation's kind, a period in the wrong shape or of the wrong frequency for the
/// indicator, a value that is not a plain number or is outside the unit's range (a percentage
/// of 140), an unknown status, a value given twice in the file for one indicator,
/// organisation and period, and a change to a value already held without a note saying why.
///
/// Per-row work is small (the benchmark imports 20 million values): cells are compared as
/// bytes, the indicator and organisation of the row before are reused without making a
/// String, and values seen are kept as bits, 16 bytes per indicator and organisation
/// (a window of 128 periods; periods outside it go to a set).
///
/// Statuses: a new value is `provisional` unless the row says otherwise, and cannot be
/// `revised` (there is nothing to revise); a changed value takes the row's status, or
/// `revised` when none is given, and needs a note; a held `final` value cannot go back to
/// `provisional`. A column not listed in `IndicatorImport` is refused, so no file can carry
/// names or free text about anyone beside the figures.
public struct ValueImportChecker {
    public typealias Problem = IndicatorImport.Problem

    /// A good row.
    public struct Row: Equatable, Sendable {
        public var line: Int
        /// Position in `indicators`.
        public var indicator: Int
        /// Position in `organisations`.
        public var organisation: Int
        public var period: ReportingPeriod
        public var value: Double
        public var status: ValueStatus
        public var note: String?
        public var change: ValueChange
    }

    public private(set) var problems: [Problem] = []
    /// Problems found past `problemLimit`, counted but not listed.
    public private(set) var problemsNotListed = 0
    /// Data rows read (blank lines not counted) and, of those, rows with a problem.
    public private(set) var rows = 0
    public private(set) var badRows = 0
    public let indicators: [Indicator]
    public let organisations: [KnownOrganisation]

    private let problemLimit: Int?
    private let existing: (ValueKey) -> ExistingValue?
    private let kinds: [OrganisationKind?]
    private let indicatorIndex: [String: Int]
    private let organisationIndex: [String: Int]
    private let organisationByName: [String: Int]
    private let columns: (indicator: Int, organisation: Int, period: Int, value: Int, status: Int?, note: Int?)
    private var lastIndicator: (bytes: [UInt8], index: Int?) = ([], nil)
    private var lastOrganisation: (bytes: [UInt8], index: Int?) = ([], nil)
    private var seen: SeenPeriods

    /// - Parameters:
    ///   - header: the file's first record, column names in any order and case.
    ///   - indicators: the indicators values may be given for.
    ///   - organisations: organisations by code; a cell may also give a name or alias (`NameKey`).
    ///   - organisationKinds: kind by organisation code; when given, a value for an indicator
    ///     that does not apply to that kind is refused.
    ///   - existing: the value held for a key, if any (a preloaded dictionary, not a query per row).
    ///   - problemLimit: list at most this many problems and count the rest.
    /// - Throws: `IndicatorImport.Invalid` for a missing, repeated or unknown column.
    public init(
        header: [String], indicators: [Indicator], organisations: [KnownOrganisation], organisationKinds: [String: OrganisationKind] = [:],
        existing: @escaping (ValueKey) -> ExistingValue? = { _ in nil }, problemLimit: Int? = nil
    ) throws {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var headerProblems: [Problem] = []
        for name in IndicatorImport.requiredColumns where !names.contains(name) {
            headerProblems.append(Problem(line: 1, message: "required column \"\(name)\" is missing"))
        }
        var position: [String: Int] = [:]
        let known = Set(IndicatorImport.requiredColumns + IndicatorImport.optionalColumns)
        for (index, name) in names.enumerated() {
            if !known.contains(name) {
                headerProblems.append(
                    Problem(
                        line: 1,
                        message:
                            "column \"\(header[index])\" is not one this import reads (\((IndicatorImport.requiredColumns + IndicatorImport.optionalColumns).joined(separator: ", ")))"
                    ))
            } else if position[name] != nil {
                headerProblems.append(Problem(line: 1, message: "column \"\(name)\" is given twice"))
            } else {
                position[name] = index
            }
        }
        guard headerProblems.isEmpty, let indicator = position["indicator"], let organisation = position["organisation"],
            let period = position["period"], let value = position["value"]
        else { throw IndicatorImport.Invalid(problems: headerProblems) }
        columns = (indicator, organisation, period, value, position["status"], position["note"])
        self.indicators = indicators
        self.organisations = organisations
        self.existing = existing
        self.problemLimit = problemLimit
        kinds = organisations.map { organisationKinds[$0.code] }
        indicatorIndex = Dictionary(indicators.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { first, _ in first })
        organisationIndex = Dictionary(organisations.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { first, _ in first })
        var byName: [String: Int] = [:]
        for (index, organisation) in organisations.enumerated() {
            for name in [organisation.name] + organisation.aliases where byName[NameKey.make(name)] == nil {
                byName[NameKey.make(name)] = index
            }
        }
        organisationByName = byName
        seen = SeenPeriods(pairs: indicators.count * organisations.count)
    }

    /// Checks one record after the header. Returns nil for a blank or bad row (a bad row's
    /// problems are in `problems`, each with the row's line).
    public mutating func check(_ record: CSVRecord) -> Row? {
        if record.isBlank { return nil }
        rows += 1
        let line = record.line
        let before = problems.count + problemsNotListed
        func cell(_ column: Int?) -> UnsafeBufferPointer<UInt8>? {
            guard let column, column < record.count else { return nil }
            let value = CSVBytes.trimmed(record[column])
            return value.isEmpty ? nil : value
        }
        func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

        var indicator: Int?
        if let bytes = cell(columns.indicator) {
            indicator = resolveIndicator(bytes)
            if indicator == nil { report(line, "indicator \"\(text(bytes))\" is not known") }
        } else {
            report(line, "indicator is empty")
        }
        var organisation: Int?
        if let bytes = cell(columns.organisation) {
            organisation = resolveOrganisation(bytes)
            if organisation == nil { report(line, "organisation \"\(text(bytes))\" is not known by its code, name or an alias") }
        } else {
            report(line, "organisation is empty")
        }
        if let indicator, let organisation, let kind = kinds[organisation], !indicators[indicator].applies(to: kind) {
            let applies = indicators[indicator].appliesTo.map(\.displayName).joined(separator: ", ").lowercased()
            report(line, "\(indicators[indicator].code) is not reported by a \(kind.displayName.lowercased()) (it applies to: \(applies))")
        }
        var period: ReportingPeriod?
        if let bytes = cell(columns.period) {
            period = ReportingPeriod.parse(bytes: bytes)
            if period == nil {
                do { _ = try ReportingPeriod.parse(text(bytes), field: "period") } catch { report(line, Self.sentence(error)) }
            } else if let found = period, let indicator, found.frequency != indicators[indicator].frequency {
                report(
                    line, Self.sentence(ReportingPeriod.wrongFrequency(found, expected: indicators[indicator].frequency, field: "period")))
                period = nil
            }
        } else {
            report(line, "period is empty")
        }
        var value: Double?
        if let bytes = cell(columns.value) {
            value = CSVBytes.decimal(bytes)
            if let number = value, let indicator, let problem = indicators[indicator].unit.problem(with: number) {
                report(line, "value \(problem)")
                value = nil
            } else if value == nil {
                report(line, Self.notANumber(text(bytes)))
            }
        } else {
            report(line, "value is empty")
        }
        var status: ValueStatus?
        if let bytes = cell(columns.status) {
            status = ValueStatus(bytes: bytes)
            if status == nil {
                report(line, "status \"\(text(bytes))\" is not one of \(ValueStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let note = cell(columns.note).map(text)
        if let note, note.count > valueNoteMaximumLength {
            report(line, "note is \(note.count) characters; a note says why a figure changed in at most \(valueNoteMaximumLength)")
        }
        guard let indicator, let organisation, let period else { return finish(before) }
        if !seen.insert(pair: indicator * organisations.count + organisation, ordinal: period.ordinal) {
            report(
                line,
                "\(indicators[indicator].code) / \(organisations[organisation].code) / \(period) is given earlier in this file; give each value once"
            )
            return finish(before)
        }
        guard let value else { return finish(before) }
        let key = ValueKey(indicator: indicators[indicator].code, organisation: organisations[organisation].code, period: period)
        var change = ValueChange.new
        let held = existing(key)
        if let held {
            if held.value == value {
                change = .unchanged
            } else {
                change = .revision(previous: held.value)
                if note == nil {
                    report(
                        line,
                        "\(key.indicator) / \(key.organisation) / \(period) is held as \(Self.number(held.value)); changing it to \(Self.number(value)) needs a note saying why"
                    )
                }
            }
            if held.status == .final && status == .provisional {
                report(line, "\(key.indicator) / \(key.organisation) / \(period) is final; it cannot become provisional again")
            }
        } else if status == .revised {
            report(line, "status is revised, but no value is held for \(key.indicator) / \(key.organisation) / \(period) to revise")
        }
        if problems.count + problemsNotListed != before { return finish(before) }
        let resolved: ValueStatus
        switch change {
        case .new: resolved = status ?? .provisional
        case .unchanged: resolved = status ?? held?.status ?? .provisional
        case .revision: resolved = status ?? .revised
        }
        return Row(
            line: line, indicator: indicator, organisation: organisation, period: period, value: value, status: resolved, note: note,
            change: change)
    }

    /// Adds a problem found outside the row's own cells.
    public mutating func report(_ problem: Problem) {
        if let problemLimit, problems.count >= problemLimit { problemsNotListed += 1 } else { problems.append(problem) }
    }

    private mutating func report(_ line: Int, _ message: String) { report(Problem(line: line, message: message)) }

    private mutating func finish(_ before: Int) -> Row? {
        if problems.count + problemsNotListed != before { badRows += 1 }
        return nil
    }

    private mutating func resolveIndicator(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if Self.same(lastIndicator.bytes, bytes) { return lastIndicator.index }
        let code = String(decoding: bytes, as: UTF8.self)
        let index = indicatorIndex[code] ?? indicatorIndex[code.lowercased()]
        lastIndicator = (Array(bytes), index)
        return index
    }

    private mutating func resolveOrganisation(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if Self.same(lastOrganisation.bytes, bytes) { return lastOrganisation.index }
        let code = String(decoding: bytes, as: UTF8.self)
        let index = organisationIndex[code] ?? organisationByName[NameKey.make(code)]
        lastOrganisation = (Array(bytes), index)
        return index
    }

    /// Byte-for-byte equality by `memcmp` (the generic `elementsEqual` was a tenth of a row's time).
    @inline(__always)
    static func same(_ held: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard held.count == bytes.count else { return false }
        guard let other = bytes.baseAddress else { return true }
        return held.withUnsafeBufferPointer { mine in mine.baseAddress.map { memcmp($0, other, bytes.count) == 0 } ?? true }
    }

    static func sentence(_ error: any Error) -> String {
        if let field = error as? FieldError { return "\(field.field) \(field.message)" }
        return String(describing: error)
    }

    static func notANumber(_ text: String) -> String {
        if text.hasSuffix("%") { return "value \"\(text)\" is not a plain number; write it without %, like \(text.dropLast())" }
        if text.contains(",") { return "value \"\(text)\" is not a plain number; write it without thousands separators" }
        return "value \"\(text)\" is not a number"
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
