import Foundation

extension ValueImportChecker {
    /// Checks a whole values file held in memory (a form upload, the API, a test), all or
    /// none: the good rows when there is no problem at all. A file streamed from disk uses
    /// `CSVStreamReader` with `init(header:…)` and `check(_:)` directly, in the same way.
    /// - Throws: `IndicatorImport.Invalid` with every problem, each with its line.
    public static func check(
        csv: String, indicators: [Indicator], organisations: [KnownOrganisation], organisationKinds: [String: OrganisationKind] = [:],
        existing: @escaping (ValueKey) -> ExistingValue? = { _ in nil }
    ) throws -> [Row] {
        var checker: ValueImportChecker?
        var rows: [Row] = []
        var headerProblem: IndicatorImport.Invalid?
        do {
            try CSVStreamReader.records(in: csv) { record in
                if headerProblem != nil { return }
                guard checker != nil else {
                    do {
                        checker = try ValueImportChecker(
                            header: (0..<record.count).map(record.string), indicators: indicators, organisations: organisations,
                            organisationKinds: organisationKinds, existing: existing)
                    } catch let invalid as IndicatorImport.Invalid {
                        headerProblem = invalid
                    }
                    return
                }
                // Mutated in place: a copy would duplicate the checker's tables on every row.
                if let row = checker?.check(record) { rows.append(row) }
            }
        } catch let malformed as CSVStreamReader.Malformed {
            var problems = checker?.problems ?? []
            problems.append(IndicatorImport.Problem(line: malformed.line, message: malformed.message))
            throw IndicatorImport.Invalid(problems: problems)
        }
        if let headerProblem { throw headerProblem }
        guard let checker else {
            throw IndicatorImport.Invalid(problems: [IndicatorImport.Problem(line: nil, message: "the file is empty")])
        }
        if !checker.problems.isEmpty { throw IndicatorImport.Invalid(problems: checker.problems) }
        return rows
    }
}
