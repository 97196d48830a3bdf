import Foundation
import Yams

/// Indicators written as YAML, for shipped examples and for a deployment's own set:
///
/// ```yaml
/// indicators:
///   - code: prevent-isp-partners
///     title: Partners with an agreed information-sharing protocol
///     definition: Of the statutory partners in the force area, the percentage …
///     unit: percentage            # percentage | count | rate_per_100000 | ratio
///     kind: outcome               # input | output | outcome
///     polarity: higher_is_better  # higher_is_better | lower_is_better | neither
///     source: Force Prevent lead's quarterly return
///     caveats: [Partners are counted as the force lists them.]
///     frequency: quarter          # month | quarter | financial_year
///     applies_to: [territorial_force]
///     targets:                    # optional; organisation omitted for national
///       - {value: 100, date: "2011-03-31"}
/// ```
///
/// Every problem is reported at once, each on its path (`indicators[2].unit`), with the
/// rules of `IndicatorDraft`; codes must be unique in the file.
public enum IndicatorCatalogue {
    static let keys: Set<String> = [
        "code", "title", "definition", "unit", "kind", "polarity", "source", "caveats", "frequency", "applies_to", "targets",
    ]
    static let targetKeys: Set<String> = ["value", "date", "organisation"]

    /// - Throws: `ValidationErrors`, each field a path into the document.
    public static func read(yaml: String) throws -> [Indicator] {
        let root: Any?
        do { root = try Yams.load(yaml: yaml) } catch {
            throw ValidationErrors([FieldError("document", "not valid YAML (\(error))")])
        }
        guard let map = root as? [String: Any], let nodes = map["indicators"] as? [Any] else {
            throw ValidationErrors([FieldError("indicators", "the document must be a mapping with a list under indicators")])
        }
        var errors = ValidationErrors()
        for key in map.keys.sorted() where key != "indicators" { errors.add(key, "unknown key (allowed: indicators)") }
        var indicators: [Indicator] = []
        var codes: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            let path = "indicators[\(index)]"
            guard let item = node as? [String: Any] else { errors.add(path, "must be a mapping of keys to values"); continue }
            for key in item.keys.sorted() where !keys.contains(key) {
                errors.add("\(path).\(key)", "unknown key (allowed: \(keys.sorted().joined(separator: ", ")))")
            }
            var targets: [IndicatorDraft.Target] = []
            for (position, targetNode) in list(item["targets"]).enumerated() {
                let targetPath = "\(path).targets[\(position)]"
                guard let target = targetNode as? [String: Any] else {
                    errors.add(targetPath, "must be a mapping with value and date"); continue
                }
                for key in target.keys.sorted() where !targetKeys.contains(key) {
                    errors.add("\(targetPath).\(key)", "unknown key (allowed: \(targetKeys.sorted().joined(separator: ", ")))")
                }
                targets.append(
                    IndicatorDraft.Target(
                        value: text(target["value"]), date: text(target["date"]), organisation: target["organisation"].map(text)))
            }
            let draft = IndicatorDraft(
                code: text(item["code"]), title: text(item["title"]), definition: text(item["definition"]), unit: text(item["unit"]),
                kind: text(item["kind"]), polarity: text(item["polarity"]), source: text(item["source"]),
                caveats: list(item["caveats"]).map(text),
                frequency: text(item["frequency"]), appliesTo: list(item["applies_to"]).map(text), targets: targets)
            do {
                let indicator = try draft.validated(prefix: "\(path).")
                if let earlier = codes[indicator.code] {
                    errors.add("\(path).code", "\"\(indicator.code)\" is already used by indicators[\(earlier)]")
                } else {
                    codes[indicator.code] = index
                    indicators.append(indicator)
                }
            } catch let problems as ValidationErrors {
                errors.errors += problems.errors
            }
        }
        try errors.throwIfAny()
        return indicators
    }

    /// YAML for `indicators`, which `read` gives back unchanged.
    public static func yaml(_ indicators: [Indicator]) -> String {
        var lines = ["indicators:"]
        func quoted(_ text: String) -> String {
            "\""
                + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(
                    of: "\n", with: "\\n") + "\""
        }
        for indicator in indicators {
            lines += [
                "  - code: \(quoted(indicator.code))", "    title: \(quoted(indicator.title))",
                "    definition: \(quoted(indicator.definition))",
                "    unit: \(indicator.unit.rawValue)", "    kind: \(indicator.kind.rawValue)",
                "    polarity: \(indicator.polarity.rawValue)",
                "    source: \(quoted(indicator.source))", "    frequency: \(indicator.frequency.rawValue)",
                "    applies_to: [\(indicator.appliesTo.map(\.rawValue).joined(separator: ", "))]",
            ]
            if !indicator.caveats.isEmpty { lines += ["    caveats:"] + indicator.caveats.map { "      - \(quoted($0))" } }
            if !indicator.targets.isEmpty {
                lines.append("    targets:")
                for target in indicator.targets {
                    var line = "      - {value: \(target.value), date: \"\(target.date)\""
                    if let organisation = target.organisation { line += ", organisation: \(quoted(organisation))" }
                    lines.append(line + "}")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A scalar as text. Yams reads an unquoted `2011-03-31` as a timestamp (midnight UTC),
    /// so a date node is written back as its UTC day.
    static func text(_ node: Any?) -> String {
        switch node {
        case nil: return ""
        case let value as String: return value
        case let value as Int: return String(value)
        case let value as Double: return String(value)
        case let value as Bool: return String(value)
        case let value as Date: return CivilDate(containing: value, in: .utc).description
        default: return String(describing: node ?? "")
        }
    }

    static func list(_ node: Any?) -> [Any] {
        switch node {
        case nil: return []
        case let items as [Any]: return items
        case let item?: return [item]
        }
    }
}
