import Leaf
import LeafKit
import Vapor

/// Leaf views and the public files, from the module's bundle, so the binary finds them
/// whatever directory it is started from.
enum Views {
    static func configure(_ app: Application) throws {
        guard let resources = Bundle.module.resourceURL else {
            throw ConfigurationProblem("the application's resources (views, stylesheet) are missing from its bundle")
        }
        app.directory.viewsDirectory = resources.appendingPathComponent("Views").path + "/"
        app.directory.publicDirectory = resources.appendingPathComponent("Public").path + "/"
        app.views.use(.leaf)
        // Leaf refuses paths with hidden folders by default, and `swift build` puts the
        // bundle under `.build/`: keep the sandbox, drop that one limit.
        app.leaf.sources = .singleSource(
            NIOLeafFiles(
                fileio: app.fileio, limits: [.toSandbox, .requireExtensions],
                sandboxDirectory: app.directory.viewsDirectory, viewDirectory: app.directory.viewsDirectory))
        app.leaf.tags["path"] = PathTag<SiteURL>()
        app.leaf.tags["apiPath"] = PathTag<APIURL>()
    }
}

/// Something wrong with how the application was installed or configured: stops the start.
struct ConfigurationProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
