import Foundation
import Vapor

/// Serves the files under `Public/` (the stylesheet). Vapor's `FileMiddleware` looks on
/// disk for every request's path, a thread-pool hop even for API calls; here only paths
/// under the folder's own top-level entries (`/css/…`) reach it.
struct PublicFiles: Middleware {
    let files: FileMiddleware
    let prefixes: [String]

    init(directory: String) {
        files = FileMiddleware(publicDirectory: directory)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        prefixes = entries.filter { !$0.hasPrefix(".") }.map { "/" + $0 }
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let path = request.url.path
        guard prefixes.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) else {
            return next.respond(to: request)
        }
        return files.respond(to: request, chainingTo: next)
    }
}
