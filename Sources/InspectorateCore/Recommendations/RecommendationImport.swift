import Foundation

/// A verification recorded in a spreadsheet tracker before the move: who verified, when,
/// and the progress they found. An imported recommendation is verified or closed only
/// with one, since nothing closes without verification.
public struct ImportedVerification: Equatable, Sendable {
    public var on: CivilDate
    /// The verifier as the spreadsheet names them (a name or an e-mail address).
    public var by: String
    public var progress: ProgressGrade
}

/// One good row of a tracker import.
public struct ImportedRecommendation: Equatable, Sendable {
    public var line: Int
    public var reference: RecommendationReference
    public var text: String
    public var addressees: [String]
    public var due: CivilDate
    public var priority: Bool
    public var status: RecommendationStatus
    public var criteria: [String]
    public var dependsOnAnotherBody: Bool
    public var publishedOn: CivilDate?
    /// Why it has its status (required for closed: not implemented).
    public var statusReason: String?
    public var supersededBy: RecommendationReference?
    public var verification: ImportedVerification?
}

/// A problem with an import: the line (nil for the file as a whole) and what is wrong.
public typealias RecommendationImportProblem = FileProblem

/// A refused import: every problem found; nothing is imported.
public typealias RecommendationImportInvalid = FileInvalid

/// Checks a spreadsheet tracker brought across, all or nothing: every bad row is named with
/// its line, and either every row is good or none is imported.
///
/// Columns (a header row names them, in any order, in any case):
/// - required: `reference` (`cycle/organisation-or-national/n`), `text`, `addressees`
///   (organisation codes separated by `;`, `,` or spaces), `due` (YYYY-MM-DD), `priority`
///   (yes/no, true/false, y/n, 1/0; empty is no), `status` (open, in progress, reported
///   complete, verified, closed implemented, closed not implemented, closed superseded:
///   as words or stored values, any case);
/// - optional: `criteria` (criterion codes separated like addressees),
///   `depends_on_another_body` (yes/no), `published` (YYYY-MM-DD), `status_reason`,
///   `superseded_by` (a reference), `verified_on` (YYYY-MM-DD), `verified_by` (the
///   verifier's name or e-mail), `progress` (no meaningful, insufficient, reasonable, good).
/// - A verified or closed row needs `verified_on`, `verified_by` and `progress`, and as
///   verified or closed implemented, progress reasonable or good; closed not implemented
///   needs `status_reason`; closed superseded needs `superseded_by`.
/// Any other column is refused rather than dropped unread. Dates are never guessed: 31/03/2010
/// is refused with the form to use.
public enum RecommendationImport {
    public static let requiredColumns = ["reference", "text", "addressees", "due", "priority", "status"]
    public static let optionalColumns = [
        "criteria", "depends_on_another_body", "published", "status_reason", "superseded_by", "verified_on", "verified_by", "progress",
    ]

    /// - Parameters:
    ///   - isKnownOrganisation: whether a code names an organisation in the registry.
    ///   - isKnownCriterion: whether a criterion code belongs to the reference's cycle.
    ///   - isHeld: whether a reference is already held (an import adds, never overwrites).
    /// - Throws: `RecommendationImportInvalid` with every problem, by line.
    public static func check(
        _ text: String, isKnownOrganisation: (String) -> Bool,
        isKnownCriterion: (_ cycle: String, _ code: String) -> Bool = { _, _ in true },
        isHeld: (RecommendationReference) -> Bool = { _ in false }
    ) throws -> [ImportedRecommendation] {
        var problems: [RecommendationImportProblem] = []
        var rows: [ImportedRecommendation] = []
        var columns: [String: Int]?
        var seen: [RecommendationReference: Int] = [:]
        do {
            try CSVStreamReader.records(in: text) { record in
                let cells = (0..<record.count).map { record.string($0).trimmingCharacters(in: .whitespacesAndNewlines) }
                guard let header = columns else {
                    columns = readHeader(cells, problems: &problems)
                    return
                }
                if record.isBlank { return }
                var row = RecommendationRowChecker(line: record.line, cells: cells, columns: header)
                if let good = row.check(isKnownOrganisation: isKnownOrganisation, isKnownCriterion: isKnownCriterion) {
                    if let earlier = seen[good.reference] {
                        row.problem("reference \(good.reference) is already given on line \(earlier)")
                    } else if isHeld(good.reference) {
                        row.problem("reference \(good.reference) is already held; an import adds recommendations, it does not change them")
                    } else {
                        seen[good.reference] = record.line
                        rows.append(good)
                    }
                }
                problems += row.problems
            }
        } catch let malformed as CSVStreamReader.Malformed {
            problems.append(RecommendationImportProblem(line: malformed.line, message: malformed.message))
        }
        if columns == nil {
            problems.append(RecommendationImportProblem(line: nil, message: "The file is empty: its first line names the columns"))
        } else if rows.isEmpty && problems.isEmpty {
            problems.append(RecommendationImportProblem(line: nil, message: "The file has no recommendations below its header"))
        }
        guard problems.isEmpty else { throw RecommendationImportInvalid(problems: problems) }
        return rows
    }

    /// Column positions by name; problems on line 1 for missing, unknown or repeated columns.
    /// A header with problems still gives its positions, so rows are checked too.
    static func readHeader(_ cells: [String], problems: inout [RecommendationImportProblem]) -> [String: Int] {
        var columns: [String: Int] = [:]
        let known = Set(requiredColumns + optionalColumns)
        for (index, cell) in cells.enumerated() {
            let name = cell.lowercased()
            if name.isEmpty { continue }
            if !known.contains(name) {
                problems.append(
                    RecommendationImportProblem(
                        line: 1,
                        message:
                            "column \"\(cell)\" is not one this import reads: use \((requiredColumns + optionalColumns).joined(separator: ", "))"
                    ))
            } else if columns[name] != nil {
                problems.append(RecommendationImportProblem(line: 1, message: "column \"\(name)\" is given twice"))
            } else {
                columns[name] = index
            }
        }
        for name in requiredColumns where columns[name] == nil {
            problems.append(RecommendationImportProblem(line: 1, message: "required column \"\(name)\" is missing"))
        }
        return columns
    }

    /// Words, lower-cased, joined by underscores: "Closed: not implemented" is "closed_not_implemented".
    static func normalised(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).joined(separator: "_")
    }

    static func status(_ text: String) -> RecommendationStatus? {
        let key = normalised(text)
        return RecommendationStatus.allCases.first { $0.rawValue == key || normalised($0.displayName) == key }
    }

    static func progress(_ text: String) -> ProgressGrade? {
        let key = normalised(text)
        return ProgressGrade.allCases.first { grade in
            [grade.rawValue, normalised(grade.displayName), normalised(grade.displayName.replacingOccurrences(of: " progress", with: ""))]
                .contains(key)
        }
    }

    static func flag(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "", "no", "n", "false", "0": false
        case "yes", "y", "true", "1": true
        default: nil
        }
    }

    static func codes(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == ";" || $0 == "," || $0.isWhitespace }).map(String.init)
    }
}
