import Foundation

extension MostSimilar {
    /// A published grouping, read from CSV with one row per organisation and member,
    /// `organisation,similar` (names, aliases or codes), members in order, nearest first:
    ///
    /// ```csv
    /// organisation,similar
    /// Kent,Essex
    /// Kent,Hampshire
    /// ```
    ///
    /// Every bad row is reported with its line: an unknown organisation, an organisation
    /// listed as similar to itself, a member listed twice for one organisation.
    /// - Parameters:
    ///   - source: who published the grouping and when, shown on the page as the method.
    ///   - organisations: the organisations names are resolved against (`NameKey`, aliases).
    /// - Throws: `IndicatorImport.Invalid` with every problem; `CSVStreamReader.Malformed`
    ///   for text that is not CSV.
    public static func imported(csv: String, source: String, organisations: [KnownOrganisation]) throws -> SimilarGroups {
        var problems: [IndicatorImport.Problem] = []
        let directory = OrganisationDirectory(organisations)
        let codes = Set(organisations.map(\.code))
        func resolve(_ text: String) -> String? { codes.contains(text) ? text : directory.code(forName: text) }
        var columns: (organisation: Int, similar: Int)?
        var groups: [String: [String]] = [:]
        try CSVStreamReader.records(in: csv) { record in
            if columns == nil {
                let names = (0..<record.count).map { record.string($0).trimmingCharacters(in: .whitespaces).lowercased() }
                guard let organisation = names.firstIndex(of: "organisation"), let similar = names.firstIndex(of: "similar") else {
                    problems.append(
                        IndicatorImport.Problem(line: record.line, message: "the header must name the columns organisation and similar"))
                    columns = (-1, -1)
                    return
                }
                columns = (organisation, similar)
                return
            }
            guard let (organisationColumn, similarColumn) = columns, organisationColumn >= 0, !record.isBlank else { return }
            func cell(_ index: Int) -> String {
                index < record.count ? record.string(index).trimmingCharacters(in: .whitespaces) : ""
            }
            let organisationText = cell(organisationColumn)
            let similarText = cell(similarColumn)
            let organisation = resolve(organisationText)
            let similar = resolve(similarText)
            var ok = true
            for (text, code, what) in [(organisationText, organisation, "organisation"), (similarText, similar, "similar")]
            where code == nil {
                problems.append(
                    IndicatorImport.Problem(
                        line: record.line,
                        message: text.isEmpty ? "\(what) is empty" : "\(what) \"\(text)\" is not known by its code, name or an alias"))
                ok = false
            }
            guard ok, let organisation, let similar else { return }
            if organisation == similar {
                problems.append(IndicatorImport.Problem(line: record.line, message: "\(organisation) is listed as similar to itself"))
            } else if groups[organisation]?.contains(similar) == true {
                problems.append(IndicatorImport.Problem(line: record.line, message: "\(similar) is already in \(organisation)'s group"))
            } else {
                groups[organisation, default: []].append(similar)
            }
        }
        if columns == nil { problems.append(IndicatorImport.Problem(line: nil, message: "the file is empty")) }
        let trimmedSource = source.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmedSource.isEmpty { problems.append(IndicatorImport.Problem(line: nil, message: "say who published the grouping and when")) }
        guard problems.isEmpty else { throw IndicatorImport.Invalid(problems: problems) }
        return SimilarGroups(origin: .imported, method: "Imported from a published grouping: \(trimmedSource).", groups: groups)
    }
}
