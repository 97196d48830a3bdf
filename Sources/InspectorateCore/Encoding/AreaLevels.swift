import Foundation

/// An assessment's stored results per area, `{"area": level, …}` with keys sorted: written
/// and read here only.
public enum AreaLevels {
    /// The JSON object, keys sorted (written by hand: bulk imports write tens of thousands).
    public static func encode(_ levels: [String: Int]) -> String {
        JSONText.object(of: levels)
    }

    /// The levels of a stored object; nil or `{}` is none.
    /// - Throws: `DomainError.unavailable` when what is stored is not such an object, which
    ///   only a damaged database could hold: an error, never silently "no levels".
    public static func decode(_ json: String?) throws -> [String: Int] {
        guard let json, json != "{}" else { return [:] }
        do {
            return try JSONDecoder().decode([String: Int].self, from: Data(json.utf8))
        } catch {
            throw DomainError.unavailable(detail: "stored area levels \(json.prefix(80)) do not read as levels")
        }
    }
}
