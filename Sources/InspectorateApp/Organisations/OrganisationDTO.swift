import InspectorateCore
import Vapor

/// An organisation as the API shows it.
struct OrganisationDTO: Content {
    var code: String
    var name: String
    var kind: OrganisationKind
    var region: String?
    var country: String?
    var population2011: Int?
    var officers2019: Int?
    var aliases: [String]
    var version: Int

    enum CodingKeys: String, CodingKey {
        case code, name, kind, region, country, aliases, version
        case population2011 = "population_2011"
        case officers2019 = "officers_2019"
    }

    init(_ summary: OrganisationSummary, aliases: [String] = []) {
        code = summary.code
        name = summary.name
        kind = summary.kind
        region = summary.region
        country = summary.country
        population2011 = summary.population2011
        officers2019 = summary.officers2019
        self.aliases = aliases
        version = summary.version
    }

    init(_ organisation: Organisation) {
        self.init(OrganisationSummary(organisation), aliases: organisation.$aliases.value?.map(\.alias) ?? [])
    }
}

extension Organisation: StalePresentable {
    func presentation(for reader: Reader?, at now: Date) -> any Encodable & Sendable { OrganisationDTO(self) }
}
