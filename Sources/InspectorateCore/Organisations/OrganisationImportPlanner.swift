import Foundation

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

    /// Plans the import of a whole file, as its bytes arrived (any encoding and separator
    /// `CSVInput` reads). Line numbers are the file's physical lines.
    /// - Throws: `ImportError` naming the line and column of the first problem.
    public static func plan(csv bytes: [UInt8], directory: OrganisationDirectory) throws -> OrganisationImportPlan {
        var records: [(line: Int, cells: [String])] = []
        var input = CSVInput()
        do {
            try bytes.withUnsafeBufferPointer { piece in
                try input.read(piece) { records.append(($0.line, (0..<$0.count).map($0.string))) }
            }
            try input.finish { records.append(($0.line, (0..<$0.count).map($0.string))) }
        } catch let error as CSVStreamReader.Malformed {
            throw ImportError(line: error.line, error.message)
        }
        guard let header = records.first?.cells else { throw ImportError("the file is empty") }
        let columns = try locateColumns(header, separator: input.separator)
        var plan = OrganisationImportPlan()
        plan.ignoredColumns = header.enumerated()
            .filter { index, _ in !columns.values.contains(index) }
            .map(\.element)
        let rows = try records.dropFirst().map { try Row(line: $0.line, cells: $0.cells, columns: columns, header: header) }
        try classify(rows, directory: directory, into: &plan)
        return plan
    }

    /// The same, for text already in memory.
    public static func plan(csv text: String, directory: OrganisationDirectory) throws -> OrganisationImportPlan {
        try plan(csv: Array(text.utf8), directory: directory)
    }

    static func locateColumns(_ header: [String], separator: UInt8? = nil) throws -> [Field: Int] {
        var found: [Field: Int] = [:]
        for (index, title) in header.enumerated() {
            let key = NameKey.make(title)
            if let field = Field.allCases.first(where: { $0.headers.contains(key) }), found[field] == nil {
                found[field] = index
            }
        }
        if found[.code] == nil && found[.name] == nil {
            let seen = header.prefix(8).map { "\"\($0)\"" }.joined(separator: ", ")
            throw ImportError(
                column: "name",
                "required column \"name\" is missing (a column named code, name, police_force_area or Force/Region identifies each organisation); the header read \(header.count) column\(header.count == 1 ? "" : "s"): \(seen), separated by \(CSVInput.describe(separator: separator))"
            )
        }
        if found[.population2011] == nil && found[.officers2019] == nil && found[.kind] == nil {
            throw ImportError(
                column: "population_2011",
                "required column \"population_2011\" or \"officers_2019\" (or \"September 2019\") is missing: the file has no figures to import and no kind column to create organisations"
            )
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
