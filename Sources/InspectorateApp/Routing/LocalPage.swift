import Foundation

extension SiteURL {
    /// `raw` if it is the path (and query) of one of the site's own pages, rebuilt from its
    /// parts; nil for anything else: another origin, a scheme, control characters, a path
    /// no page has. Where sign-in sends people next goes through this, so it can never
    /// be made to send them to another site.
    static func localPage(_ raw: String?) -> String? {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"),
            !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\\" }),
            let components = URLComponents(string: raw), components.scheme == nil, components.host == nil,
            components.user == nil, components.port == nil
        else { return nil }
        let segments = components.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        // Percent-encoded control characters and slashes are refused too: a browser may
        // strip or reinterpret them.
        guard
            segments.allSatisfy({ segment in
                guard let decoded = segment.removingPercentEncoding else { return false }
                return !decoded.contains("/") && !decoded.contains("\\")
                    && !decoded.unicodeScalars.contains { $0.properties.generalCategory == .control }
            })
        else { return nil }
        let isPage = all.contains { route in
            let parts = route.parts
            if parts.isEmpty { return segments == [""] }
            guard parts.count == segments.count else { return false }
            return zip(parts, segments).allSatisfy { part, segment in
                switch part {
                case .fixed(let text): text == segment
                case .parameter: !segment.isEmpty
                }
            }
        }
        guard isPage else { return nil }
        return components.path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }
}
