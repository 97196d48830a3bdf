import Foundation
import Yams

/// Reads a framework from YAML, checking everything and reporting each problem with its
/// path (`areas[2].criteria[0].levels: level 4 missing`).
public enum FrameworkDocument {
    /// The largest framework document read, in bytes: the largest real one is a few kilobytes.
    public static let maximumBytes = 1 << 20

    public static func parse(yaml text: String) throws -> Framework {
        if text.utf8.count > maximumBytes {
            throw FrameworkInvalid(problems: [FrameworkProblem("", "larger than \(maximumBytes / 1024) KB: a framework is a few kilobytes")]
            )
        }
        // Anchors and aliases let a few hundred bytes expand into millions of nodes; a
        // framework needs none, so they are refused before the document is read at all.
        if let line = YAMLAliases.firstLine(in: text) {
            throw FrameworkInvalid(problems: [
                FrameworkProblem(
                    "", "line \(line): YAML anchors and aliases (&name, *name) are not allowed in a framework: write each value out")
            ])
        }
        let root: Any?
        do {
            root = try Yams.load(yaml: text)
        } catch let error as YamlError {
            throw FrameworkInvalid(problems: [FrameworkProblem("", "not valid YAML: \(error)")])
        }
        var reader = Reader()
        let framework = reader.framework(root)
        if let framework, reader.problems.isEmpty { return framework }
        throw FrameworkInvalid(problems: reader.problems.isEmpty ? [FrameworkProblem("", "not a framework")] : reader.problems)
    }

    /// The canonical YAML for a framework: what `framework export` prints.
    public static func yaml(_ framework: Framework) throws -> String {
        try YAMLEncoder().encode(Exported(framework))
    }

    /// Field names as written in documents.
    struct Exported: Encodable {
        struct Level: Encodable { var level: Int; var name: String; var description: String }
        struct Crit: Encodable {
            var code: String; var title: String; var weight: Double?
            var levels: [String: String]; var evidence_expected: [String]?
        }
        struct AreaOut: Encodable {
            var code: String; var title: String; var description: String?
            var rollup: String?; var weight: Double?; var criteria: [Crit]
        }
        struct Tier: Encodable {
            var code: String; var name: String; var description: String?
            var deadline: String; var minimums: [String: Int]
        }
        var code: String; var version: String; var title: String
        var source: String?; var publisher: String?
        var scale: [Level]; var rollup: String; var areas: [AreaOut]; var tiers: [Tier]

        init(_ f: Framework) {
            code = f.code; version = f.version; title = f.title; source = f.source; publisher = f.publisher
            scale = f.scale.map { Level(level: $0.level, name: $0.name, description: $0.description) }
            rollup = f.rollup.rawValue
            areas = f.areas.map { area in
                AreaOut(
                    code: area.code, title: area.title, description: area.description, rollup: area.rollup?.rawValue,
                    weight: area.weight,
                    criteria: area.criteria.map { c in
                        Crit(
                            code: c.code, title: c.title, weight: c.weight,
                            levels: Dictionary(uniqueKeysWithValues: c.descriptors.map { (String($0.key), $0.value) }),
                            evidence_expected: c.evidenceExpected.isEmpty ? nil : c.evidenceExpected)
                    })
            }
            tiers = f.tiers.map {
                Tier(code: $0.code, name: $0.name, description: $0.description, deadline: $0.deadline, minimums: $0.minimums)
            }
        }
    }
}
