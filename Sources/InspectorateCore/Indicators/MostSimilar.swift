import Foundation

/// Each organisation's most similar organisations, with how the groups were made, in words
/// for the page. Either computed (`MostSimilar.compute`) or imported from a published
/// grouping (`MostSimilar.imported`).
public struct SimilarGroups: Equatable, Sendable, Codable {
    public enum Origin: String, Codable, Sendable {
        case computed
        case imported
    }

    public let origin: Origin
    /// The method, or the grouping's source, in plain words.
    public let method: String
    /// Organisation code to its most similar organisations, nearest first; never itself.
    public let groups: [String: [String]]

    public init(origin: Origin, method: String, groups: [String: [String]]) {
        self.origin = origin
        self.method = method
        self.groups = groups
    }

    /// The organisations most similar to `organisation`, nearest first (nil when it has no group).
    public func group(for organisation: String) -> [String]? { groups[organisation] }
}

/// Most-similar groups from declared, non-demographic context variables.
///
/// Method, as the page states it (`SimilarGroups.method`):
/// 1. each number is put on a common scale: its z-score, (value − mean) / standard deviation
///    over all the organisations given (the population standard deviation); a variable
///    marked logarithmic is first replaced by its natural logarithm; a variable with the
///    same value everywhere counts for nothing;
/// 2. the distance between two organisations is the square root of the sum, over the
///    numbers, of the squared differences of their z-scores, plus `categoryDistance`² for
///    each category in which they differ (a different area type counts as being
///    `categoryDistance` standard deviations apart on one more number);
/// 3. an organisation's group is the `groupSize` organisations nearest to it, nearest
///    first, ties (distances equal to 9 decimal places) broken by code; never itself.
/// Every organisation must declare every variable: a missing value is refused, not guessed.
/// The work grows with the square of the number of organisations (43 forces: instant;
/// 25,000 bodies: seconds), so compute once when contexts change and store the groups.
public enum MostSimilar {
    /// The size of group value-for-money comparisons of forces commonly use (*unverified*).
    public static let defaultGroupSize = 7
    public static let defaultCategoryDistance = 2.0

    /// - Throws: `ValidationErrors` naming `contexts[i].<variable>` for a missing, non-finite
    ///   or (logarithmic) non-positive value, `contexts[i].organisation` for a repeated
    ///   organisation, `variables` when none or a repeated name is given, and `group_size`.
    public static func compute(
        contexts: [OrganisationContext], variables: [ContextVariable], groupSize: Int = defaultGroupSize,
        categoryDistance: Double = defaultCategoryDistance
    ) throws -> SimilarGroups {
        var errors = ValidationErrors()
        if variables.isEmpty { errors.add("variables", "Declare at least one context variable") }
        if Set(variables.map(\.name)).count != variables.count { errors.add("variables", "Each variable may be declared once") }
        if groupSize < 1 { errors.add("group_size", "A group has at least one organisation") }
        if !(categoryDistance >= 0 && categoryDistance.isFinite) {
            errors.add("category_distance", "The distance for a different category is 0 or more")
        }
        let numbers = variables.filter { $0.kind == .number }
        let categories = variables.filter { $0.kind == .category }
        var columns = Array(repeating: [Double](), count: numbers.count)
        var seen: Set<String> = []
        for (index, context) in contexts.enumerated() {
            let path = "contexts[\(index)]"
            if !seen.insert(context.organisation).inserted { errors.add("\(path).organisation", "\(context.organisation) is given twice") }
            for (column, variable) in numbers.enumerated() {
                guard let value = context.numbers[variable.name], value.isFinite else {
                    errors.add("\(path).\(variable.name)", "\(context.organisation) has no \(variable.name)")
                    continue
                }
                if variable.logarithmic && value <= 0 {
                    errors.add("\(path).\(variable.name)", "\(variable.name) is compared on a logarithmic scale and must be above 0")
                    continue
                }
                columns[column].append(variable.logarithmic ? log(value) : value)
            }
            for variable in categories where (context.categories[variable.name] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                errors.add("\(path).\(variable.name)", "\(context.organisation) has no \(variable.name)")
            }
        }
        try errors.throwIfAny()
        let scores = columns.map(zScores)
        let labels = categories.map { variable in
            contexts.map { ($0.categories[variable.name] ?? "").trimmingCharacters(in: .whitespaces).lowercased() }
        }
        let penalty = categoryDistance * categoryDistance
        var groups: [String: [String]] = [:]
        for i in contexts.indices {
            // The nearest `groupSize` so far, kept sorted: n·k work rather than a sort of n.
            var nearest: [(distance: Double, code: String)] = []
            nearest.reserveCapacity(groupSize + 1)
            for j in contexts.indices where j != i {
                var sum = 0.0
                for column in scores {
                    let difference = column[i] - column[j]
                    sum += difference * difference
                }
                for labels in labels where labels[i] != labels[j] { sum += penalty }
                // Rounded to 9 decimal places, so distances equal but for rounding tie, and
                // ties go by code whatever order the organisations came in.
                let candidate = (distance: (sum.squareRoot() * 1e9).rounded() / 1e9, code: contexts[j].organisation)
                func before(_ a: (distance: Double, code: String), _ b: (distance: Double, code: String)) -> Bool {
                    a.distance < b.distance || (a.distance == b.distance && a.code < b.code)
                }
                if nearest.count == groupSize, let last = nearest.last, !before(candidate, last) { continue }
                let position = nearest.firstIndex { before(candidate, $0) } ?? nearest.count
                nearest.insert(candidate, at: position)
                if nearest.count > groupSize { nearest.removeLast() }
            }
            groups[contexts[i].organisation] = nearest.map(\.code)
        }
        return SimilarGroups(
            origin: .computed, method: describe(variables, count: contexts.count, groupSize: groupSize, categoryDistance: categoryDistance),
            groups: groups)
    }

    /// (x − mean) / population standard deviation; zeros when every value is the same.
    static func zScores(_ values: [Double]) -> [Double] {
        guard !values.isEmpty else { return [] }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        let deviation = variance.squareRoot()
        guard deviation > 0 else { return values.map { _ in 0 } }
        return values.map { ($0 - mean) / deviation }
    }

    /// The method in words, for the page beside the band.
    static func describe(_ variables: [ContextVariable], count: Int, groupSize: Int, categoryDistance: Double) -> String {
        let listed = variables.map(\.described).joined(separator: "; ")
        var text = "Computed from \(variables.count) declared context variable\(variables.count == 1 ? "" : "s"): \(listed). "
        text +=
            "Each number is turned into a z-score: how many standard deviations it lies from the average of the \(count) organisations compared"
        text += variables.contains(where: \.logarithmic) ? " (after taking logarithms where marked)" : ""
        text += ". Two organisations' distance is the square root of the sum of the squared differences of their z-scores"
        if variables.contains(where: { $0.kind == .category }) {
            text += ", counting a different category as \(ValueImportChecker.number(categoryDistance)) standard deviations apart"
        }
        text +=
            ". Each organisation's group is the \(groupSize) organisation\(groupSize == 1 ? "" : "s") nearest to it, nearest first (ties by code). "
        text += "No variable describes the ethnicity, religion or other protected characteristics of the people in an area."
        return text
    }
}
