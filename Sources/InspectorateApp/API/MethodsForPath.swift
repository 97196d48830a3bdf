import Vapor

/// When no route matches, tells whether the path exists with other methods, so the answer
/// can be 405 with `Allow` rather than a misleading 404.
enum MethodsForPath {
    static func allowed(for req: Request) -> [HTTPMethod] {
        let parts = req.url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let methods = req.application.routes.all
            .filter { matches($0.path, parts) }
            .map(\.method)
        return Array(Set(methods.map(\.rawValue))).sorted().map { HTTPMethod(rawValue: $0) }
    }

    static func matches(_ pattern: [PathComponent], _ parts: [String]) -> Bool {
        if pattern.last == .catchall { return parts.count >= pattern.count - 1 }
        guard pattern.count == parts.count else { return false }
        for (component, part) in zip(pattern, parts) {
            switch component {
            case .constant(let value): if value != part { return false }
            case .parameter, .anything: continue
            case .catchall: return true
            }
        }
        return true
    }
}
