import Foundation

/// What an importer needs to know about an organisation already held.
public struct KnownOrganisation: Equatable, Sendable {
    public var code: String
    public var name: String
    public var region: String?
    public var aliases: [String]

    public init(code: String, name: String, region: String?, aliases: [String]) {
        self.code = code
        self.name = name
        self.region = region
        self.aliases = aliases
    }
}

/// Resolves names as written in other people's files to organisation codes, through the
/// canonical names and the declared aliases only.
public struct OrganisationDirectory: Sendable {
    private var byKey: [String: String] = [:]
    private var byCode: [String: KnownOrganisation] = [:]

    public init(_ organisations: [KnownOrganisation]) {
        for organisation in organisations {
            byCode[organisation.code] = organisation
            for name in [organisation.name] + organisation.aliases {
                byKey[NameKey.make(name)] = organisation.code
            }
        }
    }

    public func code(forName name: String) -> String? { byKey[NameKey.make(name)] }
    public func organisation(code: String) -> KnownOrganisation? { byCode[code] }
}
