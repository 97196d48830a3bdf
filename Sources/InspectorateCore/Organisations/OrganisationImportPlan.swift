import Foundation

/// The figures an import can set. Absent means "leave as it is".
public struct OrganisationFigures: Equatable, Sendable {
    public var population2011: Int?
    public var officers2019: Int?

    public init(population2011: Int? = nil, officers2019: Int? = nil) {
        self.population2011 = population2011
        self.officers2019 = officers2019
    }

    var isEmpty: Bool { population2011 == nil && officers2019 == nil }
}

/// What an import will do, worked out before anything is written so that a bad file
/// changes nothing and a good one is applied in one transaction.
public struct OrganisationImportPlan: Equatable, Sendable {
    public struct Update: Equatable, Sendable {
        public var line: Int
        public var code: String
        public var label: String
        public var figures: OrganisationFigures
    }

    public struct Creation: Equatable, Sendable {
        public var line: Int
        public var code: String
        public var name: String
        public var kind: OrganisationKind
        public var region: String?
        public var country: String?
        public var aliases: [String]
        public var figures: OrganisationFigures
    }

    public struct Skip: Equatable, Sendable {
        public var line: Int
        public var label: String
        public var reason: String
    }

    public var updates: [Update] = []
    public var creations: [Creation] = []
    public var skipped: [Skip] = []
    /// Columns present in the file that the importer does not read, said aloud so nobody
    /// expects them to have been loaded.
    public var ignoredColumns: [String] = []
}

/// A file the importer refuses whole, naming the column or line.
public struct ImportError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int?
    public var column: String?
    public var message: String

    public init(line: Int? = nil, column: String? = nil, _ message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var place: [String] = []
        if let line { place.append("line \(line)") }
        if let column { place.append("column \"\(column)\"") }
        return place.isEmpty ? message : "\(place.joined(separator: ", ")): \(message)"
    }
}
