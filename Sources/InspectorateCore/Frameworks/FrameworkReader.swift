import Foundation

extension FrameworkDocument {
    /// Walks the loosely typed YAML tree, collecting problems instead of stopping at the first.
    struct Reader {
        var problems: [FrameworkProblem] = []

        mutating func problem(_ path: String, _ message: String) {
            problems.append(FrameworkProblem(path, message))
        }

        func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        mutating func mapping(_ node: Any?, _ path: String, allowed: Set<String>, required: [String]) -> [String: Any]? {
            guard let map = node as? [String: Any] else {
                problem(path, node == nil ? "missing" : "must be a mapping of keys to values")
                return nil
            }
            for key in map.keys.sorted() where !allowed.contains(key) {
                problem(join(path, key), "unknown key (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            for key in required where map[key] == nil {
                problem(join(path, key), "missing")
            }
            return map
        }

        mutating func text(_ node: Any?, _ path: String, required: Bool = true) -> String? {
            switch node {
            case nil:
                if required { problem(path, "missing") }
                return nil
            case let value as String:
                let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.isEmpty && required { problem(path, "must not be empty") }
                return trimmed
            case let value as Int: return String(value)
            case let value as Double: return String(value)
            default:
                problem(path, "must be text")
                return nil
            }
        }

        /// The range every whole number in a framework (a level, a minimum) must fall in: far
        /// beyond any real scale, small enough that no sum or mean of them can overflow.
        static let integers = -1000...1000
        /// The range of a weight: positive, finite, and neither so large nor so small that a
        /// weighted mean of them loses meaning or stops being a number.
        static let weights = 0.001...1000.0

        mutating func integer(_ node: Any?, _ path: String) -> Int? {
            let value: Int? = (node as? Int) ?? (node as? String).flatMap { Int($0) }
            guard let value else {
                problem(path, node == nil ? "missing" : "must be a whole number")
                return nil
            }
            guard Self.integers.contains(value) else {
                problem(path, "must be from \(Self.integers.lowerBound) to \(Self.integers.upperBound)")
                return nil
            }
            return value
        }

        mutating func number(_ node: Any?, _ path: String, default fallback: Double) -> Double {
            guard let node else { return fallback }
            let value: Double? = (node as? Int).map(Double.init) ?? (node as? Double)
            if let value, value.isFinite, Self.weights.contains(value) { return value }
            problem(path, "must be a number from \(Self.weights.lowerBound) to \(Int(Self.weights.upperBound))")
            return fallback
        }

        mutating func list(_ node: Any?, _ path: String, nonEmpty: Bool = true) -> [Any] {
            guard let items = node as? [Any] else {
                if node != nil || nonEmpty { problem(path, node == nil ? "missing" : "must be a list") }
                return []
            }
            if items.isEmpty && nonEmpty { problem(path, "must not be empty") }
            return items
        }

        mutating func code(_ node: Any?, _ path: String) -> String? {
            guard let value = text(node, path) else { return nil }
            let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789-_.")
            if !value.isEmpty && value.unicodeScalars.contains(where: { !allowed.contains($0) }) {
                problem(path, "\"\(value)\" must use lower-case letters, digits, '-', '_' and '.' only")
            }
            return value
        }

        mutating func rule(_ node: Any?, _ path: String) -> RollupRule? {
            guard let raw = text(node, path) else { return nil }
            guard let rule = RollupRule(rawValue: raw) else {
                problem(path, "\"\(raw)\" is not a roll-up rule (use \(RollupRule.allCases.map(\.rawValue).joined(separator: ", ")))")
                return nil
            }
            return rule
        }

        mutating func framework(_ root: Any?) -> Framework? {
            guard
                let map = mapping(
                    root, "", allowed: ["code", "version", "title", "source", "publisher", "scale", "rollup", "areas", "tiers"],
                    required: ["code", "version", "title", "scale", "rollup", "areas", "tiers"])
            else { return nil }
            let code = self.code(map["code"], "code")
            let version = text(map["version"], "version")
            let title = text(map["title"], "title")
            let scale = self.scale(map["scale"])
            let rollup = map["rollup"] == nil ? nil : rule(map["rollup"], "rollup")
            let levels = Set(scale.map(\.level))
            var areas: [Area] = []
            var areaCodes: [String: Int] = [:]
            var criterionCodes: [String: String] = [:]
            for (index, node) in list(map["areas"], "areas").enumerated() {
                let path = "areas[\(index)]"
                guard let area = self.area(node, path, levels: levels, framework: rollup) else { continue }
                if let earlier = areaCodes[area.code] { problem("\(path).code", "\"\(area.code)\" is already used by areas[\(earlier)]") }
                areaCodes[area.code] = index
                for (position, criterion) in area.criteria.enumerated() {
                    let here = "\(path).criteria[\(position)]"
                    if let earlier = criterionCodes[criterion.code] {
                        problem("\(here).code", "\"\(criterion.code)\" is already used by \(earlier)")
                    }
                    criterionCodes[criterion.code] = here
                }
                areas.append(area)
            }
            var tiers: [RiskTier] = []
            var tierCodes: Set<String> = []
            for (index, node) in list(map["tiers"], "tiers").enumerated() {
                guard let tier = self.tier(node, "tiers[\(index)]", areas: Set(areaCodes.keys), levels: levels) else { continue }
                if !tierCodes.insert(tier.code).inserted { problem("tiers[\(index)].code", "\"\(tier.code)\" is used twice") }
                tiers.append(tier)
            }
            guard let code, let version, let title, let rollup, problems.isEmpty else { return nil }
            return Framework(
                code: code, version: version, title: title,
                source: text(map["source"], "source", required: false),
                publisher: text(map["publisher"], "publisher", required: false),
                scale: scale, rollup: rollup, areas: areas, tiers: tiers)
        }

        mutating func scale(_ node: Any?) -> [ScaleLevel] {
            var levels: [ScaleLevel] = []
            for (index, item) in list(node, "scale").enumerated() {
                let path = "scale[\(index)]"
                guard let map = mapping(item, path, allowed: ["level", "name", "description"], required: ["level", "name"]) else {
                    continue
                }
                guard let level = integer(map["level"], "\(path).level"), let name = text(map["name"], "\(path).name") else { continue }
                if let previous = levels.last, level != previous.level + 1 {
                    problem("\(path).level", "levels must count up by one from the lowest (expected \(previous.level + 1), found \(level))")
                }
                levels.append(
                    ScaleLevel(
                        level: level, name: name, description: text(map["description"], "\(path).description", required: false) ?? ""))
            }
            if levels.count == 1 { problem("scale", "needs at least two levels") }
            return levels
        }

        mutating func area(_ node: Any?, _ path: String, levels: Set<Int>, framework frameworkRule: RollupRule?) -> Area? {
            guard
                let map = mapping(
                    node, path, allowed: ["code", "title", "description", "rollup", "weight", "criteria"],
                    required: ["code", "title", "criteria"])
            else { return nil }
            let code = self.code(map["code"], "\(path).code")
            let title = text(map["title"], "\(path).title")
            let rollup = map["rollup"] == nil ? nil : rule(map["rollup"], "\(path).rollup")
            let weight = number(map["weight"], "\(path).weight", default: 1)
            var criteria: [Criterion] = []
            let effective = rollup ?? frameworkRule
            for (index, item) in list(map["criteria"], "\(path).criteria").enumerated() {
                let here = "\(path).criteria[\(index)]"
                guard
                    let c = mapping(
                        item, here, allowed: ["code", "title", "weight", "levels", "evidence_expected"],
                        required: ["code", "title", "levels"])
                else { continue }
                let code = self.code(c["code"], "\(here).code")
                let title = text(c["title"], "\(here).title")
                if effective == .weightedMean && c["weight"] == nil {
                    problem("\(here).weight", "missing: the weighted_mean roll-up needs a weight for every criterion")
                }
                let weight = number(c["weight"], "\(here).weight", default: 1)
                let descriptors = self.descriptors(c["levels"], "\(here).levels", levels: levels)
                let evidence = list(c["evidence_expected"], "\(here).evidence_expected", nonEmpty: false)
                    .enumerated().compactMap { text($0.element, "\(here).evidence_expected[\($0.offset)]") }
                if let code, let title {
                    criteria.append(
                        Criterion(code: code, title: title, weight: weight, descriptors: descriptors, evidenceExpected: evidence))
                }
            }
            guard let code, let title else { return nil }
            return Area(
                code: code, title: title, description: text(map["description"], "\(path).description", required: false),
                rollup: rollup, weight: weight, criteria: criteria)
        }

        mutating func descriptors(_ node: Any?, _ path: String, levels: Set<Int>) -> [Int: String] {
            var result: [Int: String] = [:]
            if let map = node as? [AnyHashable: Any] {
                for (key, value) in map {
                    guard let level = (key as? Int) ?? (key as? String).flatMap(Int.init) else {
                        problem(path, "\"\(key)\" is not a level of the scale"); continue
                    }
                    if !levels.isEmpty && !levels.contains(level) { problem(path, "level \(level) is not on the scale") }
                    result[level] = text(value, "\(path).\(level)")
                }
            } else {
                problem(path, node == nil ? "missing" : "must map each level of the scale to its descriptor")
                return [:]
            }
            for level in levels.sorted() where result[level] == nil {
                problem(path, "level \(level) missing")
            }
            return result
        }

        mutating func tier(_ node: Any?, _ path: String, areas: Set<String>, levels: Set<Int>) -> RiskTier? {
            guard
                let map = mapping(
                    node, path, allowed: ["code", "name", "description", "deadline", "minimums"],
                    required: ["code", "name", "deadline", "minimums"])
            else { return nil }
            let code = self.code(map["code"], "\(path).code")
            let name = text(map["name"], "\(path).name")
            var deadline = text(map["deadline"], "\(path).deadline")
            if let date = map["deadline"] as? Date {
                deadline = ISO8601DateFormatter.day.string(from: date)
            } else if let value = deadline, ISO8601DateFormatter.day.date(from: value) == nil {
                problem("\(path).deadline", "\"\(value)\" is not a date like 2010-03-31")
            }
            var minimums: [String: Int] = [:]
            if let map = mapping(map["minimums"], "\(path).minimums", allowed: areas, required: areas.sorted()) {
                for (area, value) in map where areas.contains(area) {
                    guard let level = integer(value, "\(path).minimums.\(area)") else { continue }
                    if !levels.isEmpty && !levels.contains(level) {
                        problem("\(path).minimums.\(area)", "level \(level) is not on the scale")
                    }
                    minimums[area] = level
                }
            }
            guard let code, let name, let deadline else { return nil }
            return RiskTier(
                code: code, name: name, description: text(map["description"], "\(path).description", required: false),
                deadline: deadline, minimums: minimums)
        }
    }
}

extension ISO8601DateFormatter {
    /// Calendar days in UTC: deadlines are dates, not instants.
    nonisolated(unsafe) public static let day: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter
    }()
}
