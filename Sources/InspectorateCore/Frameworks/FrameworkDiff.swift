/// What changed between two versions of a framework, in words an inspector reads.
public struct FrameworkChange: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case added, removed, reworded, requirementChanged = "requirement changed", changed
    }

    public var kind: Kind
    public var path: String
    public var detail: String

    public var description: String {
        "\(kind.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(path)\(detail.isEmpty ? "" : ": \(detail)")"
    }
}

public enum FrameworkDiff {
    public static func compare(_ old: Framework, _ new: Framework) -> [FrameworkChange] {
        var changes: [FrameworkChange] = []
        func add(_ kind: FrameworkChange.Kind, _ path: String, _ detail: String = "") {
            changes.append(FrameworkChange(kind: kind, path: path, detail: detail))
        }
        if old.title != new.title { add(.reworded, "title", "\"\(old.title)\" → \"\(new.title)\"") }
        if old.rollup != new.rollup { add(.changed, "rollup", "\(old.rollup.rawValue) → \(new.rollup.rawValue)") }
        if old.scale.map(\.name) != new.scale.map(\.name) {
            add(.changed, "scale", "\(old.scale.map(\.name).joined(separator: ", ")) → \(new.scale.map(\.name).joined(separator: ", "))")
        }
        for area in old.areas where new.area(area.code) == nil { add(.removed, "area \(area.code)", area.title) }
        for area in new.areas {
            guard let before = old.area(area.code) else {
                add(.added, "area \(area.code)", "\(area.title) (\(area.criteria.count) criteria)")
                continue
            }
            if before.title != area.title { add(.reworded, "area \(area.code)", "\"\(before.title)\" → \"\(area.title)\"") }
            if (before.rollup ?? old.rollup) != (area.rollup ?? new.rollup) {
                add(
                    .changed, "area \(area.code) rollup",
                    "\((before.rollup ?? old.rollup).rawValue) → \((area.rollup ?? new.rollup).rawValue)")
            }
            if before.weight != area.weight { add(.changed, "area \(area.code) weight", "\(before.weight) → \(area.weight)") }
        }
        let oldCriteria = Dictionary(old.criteria.map { ($0.criterion.code, $0) }, uniquingKeysWith: { a, _ in a })
        let newCriteria = Dictionary(new.criteria.map { ($0.criterion.code, $0) }, uniquingKeysWith: { a, _ in a })
        for (area, criterion) in old.criteria where newCriteria[criterion.code] == nil {
            add(.removed, "criterion \(criterion.code)", "\(criterion.title) (from \(area.code))")
        }
        for (area, criterion) in new.criteria {
            guard let (beforeArea, before) = oldCriteria[criterion.code] else {
                add(.added, "criterion \(criterion.code)", "\(criterion.title) (in \(area.code))")
                continue
            }
            if beforeArea.code != area.code {
                add(.changed, "criterion \(criterion.code)", "moved from \(beforeArea.code) to \(area.code)")
            }
            if before.title != criterion.title {
                add(.reworded, "criterion \(criterion.code)", "\"\(before.title)\" → \"\(criterion.title)\"")
            }
            for level in Set(before.descriptors.keys).union(criterion.descriptors.keys).sorted()
            where before.descriptors[level] != criterion.descriptors[level] {
                add(.reworded, "criterion \(criterion.code) level \(level)", "descriptor changed")
            }
            if before.weight != criterion.weight {
                add(.changed, "criterion \(criterion.code) weight", "\(before.weight) → \(criterion.weight)")
            }
        }
        for tier in old.tiers where new.tier(tier.code) == nil { add(.removed, "tier \(tier.code)", tier.name) }
        for tier in new.tiers {
            guard let before = old.tier(tier.code) else { add(.added, "tier \(tier.code)", tier.name); continue }
            if before.name != tier.name { add(.reworded, "tier \(tier.code)", "\"\(before.name)\" → \"\(tier.name)\"") }
            if before.deadline != tier.deadline {
                add(.requirementChanged, "tier \(tier.code) deadline", "\(before.deadline) → \(tier.deadline)")
            }
            for area in Set(before.minimums.keys).union(tier.minimums.keys).sorted() where before.minimums[area] != tier.minimums[area] {
                let from = before.minimums[area].map(String.init) ?? "none"
                let to = tier.minimums[area].map(String.init) ?? "none"
                add(.requirementChanged, "tier \(tier.code) minimum for \(area)", "\(from) → \(to)")
            }
        }
        return changes
    }
}
