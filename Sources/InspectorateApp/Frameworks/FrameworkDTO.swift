import InspectorateCore
import Vapor

/// One framework version in a list.
struct FrameworkSummaryDTO: Content {
    var code: String
    var version: String
    var title: String
    var reference: String
    var areas: Int
    var criteria: Int
    var levels: [String]
    var tiers: [String]
    var importedAt: Date

    enum CodingKeys: String, CodingKey {
        case code, version, title, reference, areas, criteria, levels, tiers
        case importedAt = "imported_at"
    }

    init(_ record: FrameworkRecord) throws {
        let framework = try record.framework()
        code = record.code
        version = record.version
        title = record.title
        reference = record.reference
        areas = framework.areas.count
        criteria = framework.criteria.count
        levels = framework.scale.map(\.name)
        tiers = framework.tiers.map(\.code)
        importedAt = record.importedAt
    }
}

/// A whole framework version, as the API shows it.
struct FrameworkDTO: Content {
    struct Level: Content { var level: Int; var name: String; var description: String }
    struct CriterionOut: Content {
        var code: String; var title: String; var weight: Double
        var levels: [String: String]
        var evidenceExpected: [String]
        enum CodingKeys: String, CodingKey { case code, title, weight, levels; case evidenceExpected = "evidence_expected" }
    }
    struct AreaOut: Content {
        var code: String; var title: String; var description: String?
        var rollup: String; var weight: Double; var criteria: [CriterionOut]
    }
    struct TierOut: Content {
        var code: String; var name: String; var description: String?
        var deadline: String; var minimums: [String: Int]
    }

    var code: String
    var version: String
    var title: String
    var source: String?
    var publisher: String?
    var rollup: String
    var scale: [Level]
    var areas: [AreaOut]
    var tiers: [TierOut]

    init(_ f: Framework) {
        code = f.code; version = f.version; title = f.title; source = f.source; publisher = f.publisher
        rollup = f.rollup.rawValue
        scale = f.scale.map { Level(level: $0.level, name: $0.name, description: $0.description) }
        areas = f.areas.map { area in
            AreaOut(
                code: area.code, title: area.title, description: area.description, rollup: (area.rollup ?? f.rollup).rawValue,
                weight: area.weight,
                criteria: area.criteria.map { c in
                    CriterionOut(
                        code: c.code, title: c.title, weight: c.weight,
                        levels: Dictionary(uniqueKeysWithValues: c.descriptors.map { (String($0.key), $0.value) }),
                        evidenceExpected: c.evidenceExpected)
                })
        }
        tiers = f.tiers.map {
            TierOut(code: $0.code, name: $0.name, description: $0.description, deadline: $0.deadline, minimums: $0.minimums)
        }
    }
}

struct FrameworkChangeDTO: Content {
    var kind: String
    var path: String
    var detail: String
    init(_ change: FrameworkChange) { kind = change.kind.rawValue; path = change.path; detail = change.detail }
}
