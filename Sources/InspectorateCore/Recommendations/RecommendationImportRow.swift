import Foundation

/// Checks one row of a tracker import, collecting every problem on it.
struct RecommendationRowChecker {
    let line: Int
    let cells: [String]
    let columns: [String: Int]
    private(set) var problems: [RecommendationImportProblem] = []

    init(line: Int, cells: [String], columns: [String: Int]) {
        self.line = line
        self.cells = cells
        self.columns = columns
    }

    mutating func problem(_ message: String) {
        problems.append(RecommendationImportProblem(line: line, message: message))
    }

    /// The cell of `column`, or "" when the column or cell is absent.
    func cell(_ column: String) -> String {
        guard let index = columns[column], index < cells.count else { return "" }
        return cells[index]
    }

    mutating func date(_ column: String, required: Bool) -> CivilDate? {
        let text = cell(column)
        if text.isEmpty {
            if required { problem("\(column) is empty: give the date as YYYY-MM-DD") }
            return nil
        }
        do { return try CivilDate.parse(text, field: column) } catch let error as FieldError {
            problem("\(column): \(error.message)")
        } catch {
            problem("\(column): \"\(text)\" is not a date like 2027-07-31")
        }
        return nil
    }

    mutating func reference(_ column: String) -> RecommendationReference? {
        let text = cell(column)
        if text.isEmpty { return nil }
        do { return try RecommendationReference.parse(text, field: column) } catch let error as FieldError {
            problem("\(column): \(error.message)")
        } catch {
            problem("\(column): \"\(text)\" is not a reference")
        }
        return nil
    }

    /// The good row, or nil with every problem recorded.
    mutating func check(isKnownOrganisation: (String) -> Bool, isKnownCriterion: (String, String) -> Bool) -> ImportedRecommendation? {
        let before = problems.count
        let reference = reference("reference")
        if cell("reference").isEmpty { problem("reference is empty") }
        if case .organisation(let code) = reference?.scope, !isKnownOrganisation(code) {
            problem("reference \(cell("reference")): no organisation has the code \(code)")
        }
        let text = cell("text")
        if text.isEmpty { problem("text is empty: say what is recommended") }
        let addressees = RecommendationImport.codes(cell("addressees"))
        if addressees.isEmpty { problem("addressees is empty: name at least one organisation code") }
        var seen: Set<String> = []
        for code in addressees {
            if !seen.insert(code).inserted {
                problem("addressees: \(code) is named more than once")
            } else if !isKnownOrganisation(code) {
                problem("addressees: no organisation has the code \(code)")
            }
        }
        let due = date("due", required: true)
        let priority = RecommendationImport.flag(cell("priority"))
        if priority == nil { problem("priority \"\(cell("priority"))\" is not yes or no") }
        let statusText = cell("status")
        let status = RecommendationImport.status(statusText)
        if statusText.isEmpty {
            problem("status is empty")
        } else if status == nil {
            problem(
                "status \"\(statusText)\" is not one of: \(RecommendationStatus.allCases.map { $0.displayName.lowercased() }.joined(separator: ", "))"
            )
        }
        let criteria = RecommendationImport.codes(cell("criteria"))
        if let reference {
            for code in criteria where !isKnownCriterion(reference.cycle, code) {
                problem("criteria: \(code) is not a criterion of \(reference.cycle)'s framework")
            }
        }
        let depends = RecommendationImport.flag(cell("depends_on_another_body"))
        if depends == nil { problem("depends_on_another_body \"\(cell("depends_on_another_body"))\" is not yes or no") }
        let published = date("published", required: false)
        let verification = verification(for: status)
        let reason = cell("status_reason")
        if status == .closedNotImplemented && reason.isEmpty {
            problem("status closed: not implemented needs status_reason, saying why")
        }
        let supersededBy = self.reference("superseded_by")
        if status == .closedSuperseded && cell("superseded_by").isEmpty {
            problem("status closed: superseded needs superseded_by, the reference of the recommendation that replaces it")
        }
        if let supersededBy, supersededBy == reference { problem("superseded_by: a recommendation is not superseded by itself") }
        guard problems.count == before, let reference, let due, let priority, let status, let depends else { return nil }
        return ImportedRecommendation(
            line: line, reference: reference, text: text, addressees: addressees, due: due, priority: priority, status: status,
            criteria: criteria, dependsOnAnotherBody: depends, publishedOn: published, statusReason: reason.isEmpty ? nil : reason,
            supersededBy: supersededBy, verification: verification)
    }

    /// The verification a verified or closed status needs; problems when it is missing or
    /// cannot support the status.
    private mutating func verification(for status: RecommendationStatus?) -> ImportedVerification? {
        let on = date("verified_on", required: false)
        let by = cell("verified_by")
        let progressText = cell("progress")
        let progress = RecommendationImport.progress(progressText)
        if !progressText.isEmpty && progress == nil {
            problem("progress \"\(progressText)\" is not one of: no meaningful, insufficient, reasonable, good")
        }
        guard let status, status == .verified || status.isClosed else {
            if let on, let progress, !by.isEmpty { return ImportedVerification(on: on, by: by, progress: progress) }
            return nil
        }
        var missing: [String] = []
        if cell("verified_on").isEmpty { missing.append("verified_on") }
        if by.isEmpty { missing.append("verified_by") }
        if progressText.isEmpty { missing.append("progress") }
        if !missing.isEmpty {
            problem(
                "status \(status.displayName.lowercased()) needs \(missing.joined(separator: ", ")): nothing is verified or closed without a verification"
            )
        }
        if let progress, status == .verified || status == .closedImplemented, !progress.canBeAdequate {
            problem("status \(status.displayName.lowercased()) needs progress reasonable or good, not \(progress.displayName.lowercased())")
        }
        guard let on, let progress, !by.isEmpty else { return nil }
        return ImportedVerification(on: on, by: by, progress: progress)
    }
}
