import Foundation

/// Checks a bulk import of judgements (one row per organisation × criterion) row by row
/// as the file streams past, reporting every bad row with its line number. Organisations
/// and criteria come back as positions in the lists it was given, so the writer keeps
/// numbers, not millions of strings.
public struct JudgementImportChecker {
    public typealias Problem = JudgementImportPlanner.Problem

    /// A good row.
    public struct Row {
        public var line: Int
        /// Position in `organisations`.
        public var organisation: Int
        /// Position in the framework's criteria.
        public var criterion: Int
        public var level: Int
        public var narrative: String?
        public var rationale: String?
        /// Why, for a change to a submitted or moderated assessment (an optional `reason` column).
        public var reason: String?
    }

    public static let requiredColumns = ["organisation", "criterion", "level"]

    public private(set) var problems: [Problem] = []
    public private(set) var rows = 0
    public let organisations: [String]
    public let criteria: [String]

    private let framework: Framework
    /// `Framework.levels` is computed on each use; a row checks it.
    private let scale: ClosedRange<Int>
    private let organisationIndex: [String: Int]
    /// How many columns the header has.
    private var width = 0
    /// Names and aliases by `NameKey`, for rows that name an organisation as a published
    /// file does ("West Midlands") rather than by its code.
    private let names: [String: Int]
    private let criterionIndex: [String: Int]
    private let columns: (organisation: Int, criterion: Int, level: Int, narrative: Int?, rationale: Int?, reason: Int?)
    /// Line on which each organisation × criterion was first given (0: not yet).
    private var seen: [[Int32]]
    /// The organisation of the row before, by its bytes: files come grouped by organisation,
    /// so most rows find theirs without making a string.
    private var lastOrganisation: (bytes: [UInt8], index: Int?) = ([], nil)

    /// - Parameters:
    ///   - header: the file's first record.
    ///   - organisations: codes of the organisations in the cycle's scope.
    ///   - names: their names and aliases by `NameKey`, to their positions in `organisations`.
    public init(header: [String], framework: Framework, organisations: [String], names: [String: Int] = [:]) throws {
        let titles = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = Self.requiredColumns.filter { !titles.contains($0) }
        // A column given twice would leave one of them silently unread.
        let repeated = Set(titles.filter { title in !title.isEmpty && titles.filter { $0 == title }.count > 1 }).sorted()
        if !missing.isEmpty || !repeated.isEmpty {
            throw JudgementImportPlanner.Invalid(
                problems: missing.map { Problem(line: 1, message: "required column \"\($0)\" is missing") }
                    + repeated.map { Problem(line: 1, message: "column \"\($0)\" is given more than once") })
        }
        width = header.count
        let position = Dictionary(titles.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        // Present: the missing columns were refused just above.
        guard let organisation = position["organisation"], let criterion = position["criterion"], let level = position["level"] else {
            throw JudgementImportPlanner.Invalid(problems: [Problem(line: nil, message: "required columns are missing")])
        }
        columns = (organisation, criterion, level, position["narrative"], position["rationale"], position["reason"])
        self.names = names
        self.framework = framework
        scale = framework.levels
        self.organisations = organisations
        criteria = framework.criteria.map(\.criterion.code)
        organisationIndex = Dictionary(organisations.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        criterionIndex = Dictionary(criteria.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        seen = Array(repeating: [], count: organisations.count)
    }

    /// Checks one record after the header. Returns nil for a blank or bad row (a bad row's
    /// problems are in `problems`).
    public mutating func check(_ record: CSVRecord) -> Row? {
        let line = record.line
        func cell(_ column: Int?) -> UnsafeBufferPointer<UInt8>? {
            guard let column, column < record.count else { return nil }
            let value = CSVBytes.trimmed(record[column])
            return value.isEmpty ? nil : value
        }
        if record.isBlank { return nil }
        rows += 1
        // Spreadsheets often add empty cells after the last column; a value there is a
        // separator too many.
        if record.count > width, (width..<record.count).contains(where: { !CSVBytes.trimmed(record[$0]).isEmpty }) {
            problems.append(
                Problem(
                    line: line,
                    message: "the line has \(record.count) fields but the header has \(width): a separator too many, or a value not quoted")
            )
            return nil
        }
        guard let organisationBytes = cell(columns.organisation) else {
            problems.append(Problem(line: line, message: "organisation is empty")); return nil
        }
        guard let criterionBytes = cell(columns.criterion) else {
            problems.append(Problem(line: line, message: "criterion is empty")); return nil
        }
        var ok = true
        var organisation: Int?
        if lastOrganisation.bytes.elementsEqual(organisationBytes) {
            organisation = lastOrganisation.index
        } else {
            let text = String(decoding: organisationBytes, as: UTF8.self)
            organisation = organisationIndex[text] ?? names[NameKey.make(text)]
            lastOrganisation = (Array(organisationBytes), organisation)
        }
        if organisation == nil {
            problems.append(
                Problem(line: line, message: "organisation \"\(String(decoding: organisationBytes, as: UTF8.self))\" is not in this cycle"));
            ok = false
        } else if organisation == OrganisationNameIndex.ambiguous {
            problems.append(
                Problem(
                    line: line,
                    message:
                        "organisation \"\(String(decoding: organisationBytes, as: UTF8.self))\" names more than one organisation in this cycle: give its code"
                ))
            ok = false
            organisation = nil
        }
        let criterionCode = String(decoding: criterionBytes, as: UTF8.self)
        let criterion = criterionIndex[criterionCode]
        if criterion == nil {
            problems.append(Problem(line: line, message: "criterion \"\(criterionCode)\" is not in \(framework.reference)")); ok = false
        }
        let rawLevel = cell(columns.level)
        let level = rawLevel.flatMap(CSVBytes.integer)
        if let level {
            if !scale.contains(level) {
                problems.append(
                    Problem(line: line, message: "level \(level) is not on the scale (\(scale.lowerBound)–\(scale.upperBound))"));
                ok = false
            }
        } else {
            let text = rawLevel.map { String(decoding: $0, as: UTF8.self) } ?? ""
            problems.append(Problem(line: line, message: "level \"\(text)\" is not a whole number")); ok = false
        }
        if let organisation, let criterion {
            if seen[organisation].isEmpty { seen[organisation] = Array(repeating: 0, count: criteria.count) }
            let earlier = seen[organisation][criterion]
            if earlier != 0 {
                problems.append(
                    Problem(
                        line: line, message: "\(organisations[organisation]) / \(criteria[criterion]) is already given on line \(earlier)"));
                ok = false
            } else {
                seen[organisation][criterion] = Int32(clamping: line)
            }
        }
        guard ok, let organisation, let criterion, let level else { return nil }
        return Row(
            line: line, organisation: organisation, criterion: criterion, level: level,
            narrative: cell(columns.narrative).map { String(decoding: $0, as: UTF8.self) },
            rationale: cell(columns.rationale).map { String(decoding: $0, as: UTF8.self) },
            reason: cell(columns.reason).map { String(decoding: $0, as: UTF8.self) })
    }

    /// Adds a problem found outside the row's own cells (a locked assessment, say).
    public mutating func report(_ problem: Problem) { problems.append(problem) }
}

/// The problems a judgement import reports, and the error that carries them.
public enum JudgementImportPlanner {
    public typealias Problem = FileProblem
    public typealias Invalid = FileInvalid
}
