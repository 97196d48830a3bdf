import Foundation
import Yams

public struct MarkingSchemeProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public let problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}

extension MarkingScheme {
    /// Reads a scheme from YAML, reporting every problem with its path.
    public static func read(yaml: String) throws -> MarkingScheme {
        var problems: [String] = []
        let root: Any?
        do { root = try Yams.load(yaml: yaml) } catch {
            throw MarkingSchemeProblem(problems: ["document: not valid YAML (\(error))"])
        }
        guard let map = root as? [String: Any] else { throw MarkingSchemeProblem(problems: ["document: must be a mapping"]) }
        func text(_ node: Any?, _ path: String) -> String {
            if let value = node as? String, !value.trimmingCharacters(in: .whitespaces).isEmpty {
                return value.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            problems.append("\(path): missing")
            return ""
        }
        let code = text(map["code"], "code")
        let title = text(map["title"], "title")
        let source = (map["source"] as? String) ?? ""
        var levels: [Level] = []
        let levelNodes = map["levels"] as? [Any] ?? []
        if levelNodes.isEmpty { problems.append("levels: give at least one level") }
        for (index, node) in levelNodes.enumerated() {
            let path = "levels[\(index)]"
            guard let level = node as? [String: Any] else { problems.append("\(path): must be a mapping"); continue }
            let levelCode = text(level["code"], "\(path).code").uppercased()
            let vettingText = text(level["minimum_vetting"], "\(path).minimum_vetting")
            let vetting = VettingLevel(rawValue: vettingText.lowercased())
            if vetting == nil && !vettingText.isEmpty {
                problems.append(
                    "\(path).minimum_vetting: \(vettingText) is not one of \(VettingLevel.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            if levels.contains(where: { $0.code == levelCode }) { problems.append("\(path).code: \(levelCode) appears twice") }
            let descriptors = (level["descriptors"] as? [Any] ?? []).map { "\($0)".uppercased() }
            let required = level["descriptor_required"] as? Bool ?? false
            if required && descriptors.isEmpty { problems.append("\(path).descriptors: a level that requires a descriptor must list them") }
            if let previous = levels.last, let vetting, vetting < previous.minimumVetting {
                problems.append("\(path).minimum_vetting: a higher level cannot need less vetting than \(previous.code)")
            }
            levels.append(
                Level(
                    code: levelCode, name: (level["name"] as? String) ?? levelCode,
                    description: (level["description"] as? String ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                    minimumVetting: vetting ?? .dv, descriptors: descriptors, descriptorRequired: required,
                    caveatOf: (level["caveat_of"] as? String)?.uppercased()))
        }
        var defaults: [String: String] = [:]
        for (key, value) in map["defaults"] as? [String: Any] ?? [:] {
            if RecordType(rawValue: key) == nil {
                problems.append("defaults.\(key): not a kind of record (\(RecordType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let levelCode = "\(value)".uppercased()
            if !levels.contains(where: { $0.code == levelCode }) {
                problems.append("defaults.\(key): \(levelCode) is not a level of this scheme")
            }
            defaults[key] = levelCode
        }
        if !problems.isEmpty { throw MarkingSchemeProblem(problems: problems) }
        return MarkingScheme(code: code, title: title, source: source, levels: levels, defaults: defaults)
    }
}
