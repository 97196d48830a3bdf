import Foundation
import SwiftCSV

/// Reads an organisations CSV (our own layout, or the published population and
/// workforce files as they are) into an `OrganisationImportPlan`.
public enum OrganisationImportPlanner {
    /// Header names are compared by `NameKey`, so `Force/Region` matches "force region".
    enum Field: CaseIterable {
        case code, name, kind, region, country, aliases, population2011, officers2019

        var headers: [String] {
            switch self {
            case .code: ["code"]
            case .name: ["name", "organisation", "police force area", "force region", "force"]
            case .kind: ["kind"]
            case .region: ["region"]
            case .country: ["country"]
            case .aliases: ["aliases"]
            case .population2011: ["population 2011"]
            case .officers2019: ["officers 2019", "september 2019"]
            }
        }
    }

    public static func plan(csv text: String, directory: OrganisationDirectory) throws -> OrganisationImportPlan {
        let table: EnumeratedCSV
        do {
            table = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            throw ImportError("the file is not valid CSV: \(error)")
        }
        let columns = try locateColumns(table.header)
        var plan = OrganisationImportPlan()
        plan.ignoredColumns = table.header.enumerated()
            .filter { index, _ in !columns.values.contains(index) }
            .map(\.element)
        let rows = try table.rows.enumerated().map { offset, cells in
            // Line 1 is the header; the parser yields one row per line for these files.
            try Row(line: offset + 2, cells: cells, columns: columns, header: table.header)
        }
        try classify(rows, directory: directory, into: &plan)
        return plan
    }

    static func locateColumns(_ header: [String]) throws -> [Field: Int] {
        var found: [Field: Int] = [:]
        for (index, title) in header.enumerated() {
            let key = NameKey.make(title)
            if let field = Field.allCases.first(where: { $0.headers.contains(key) }), found[field] == nil {
                found[field] = index
            }
        }
        if found[.code] == nil && found[.name] == nil {
            throw ImportError(column: "name", "required column \"name\" is missing (a column named code, name, police_force_area or Force/Region identifies each organisation)")
        }
        if found[.population2011] == nil && found[.officers2019] == nil && found[.kind] == nil {
            throw ImportError(column: "population_2011", "required column \"population_2011\" or \"officers_2019\" (or \"September 2019\") is missing: the file has no figures to import and no kind column to create organisations")
        }
        return found
    }

    struct Row {
        var line: Int
        var values: [Field: String]
        var figures: OrganisationFigures

        init(line: Int, cells: [String], columns: [Field: Int], header: [String]) throws {
            self.line = line
            var values: [Field: String] = [:]
            for (field, index) in columns where index < cells.count {
                let value = cells[index].trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty { values[field] = value }
            }
            self.values = values
            figures = OrganisationFigures(
                population2011: try Self.number(values[.population2011], line: line, column: columns[.population2011].map { header[$0] }),
                officers2019: try Self.number(values[.officers2019], line: line, column: columns[.officers2019].map { header[$0] })
            )
        }

        var label: String { values[.name] ?? values[.code] ?? "(blank)" }
        var isBlank: Bool { values.isEmpty }
        var firstFigure: Int? { figures.officers2019 ?? figures.population2011 }

        /// Headcounts are published with decimals (part-time officers); people are whole.
        static func number(_ raw: String?, line: Int, column: String?) throws -> Int? {
            guard let raw else { return nil }
            let cleaned = raw.replacingOccurrences(of: ",", with: "")
            guard let value = Double(cleaned), value.isFinite else {
                throw ImportError(line: line, column: column, "\"\(raw)\" is not a number")
            }
            guard value >= 0 else {
                throw ImportError(line: line, column: column, "\(raw) is negative")
            }
            guard value < 1e12 else {
                throw ImportError(line: line, column: column, "\(raw) is too large")
            }
            return Int(value.rounded())
        }
    }
}
