import Fluent
import InspectorateCore
import Vapor

/// `inspectorate markings`: the deployment's scheme, as the guidance page shows it.
struct MarkingsCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Show the marking scheme in use and the vetting each marking needs" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let scheme = context.application.markingScheme
        context.console.output("\(scheme.title) (\(scheme.code))".consoleText(.info))
        for level in scheme.levels {
            let descriptors =
                level.descriptors.isEmpty
                ? ""
                : "\t\(level.descriptorRequired ? "descriptor required: " : "descriptors: ")\(level.descriptors.joined(separator: ", "))"
            context.console.output("\(level.code)\tneeds \(level.minimumVetting.rawValue.uppercased())\(descriptors)".consoleText())
        }
    }
}

/// `inspectorate group create | list | add-member | remove-member | share`
struct GroupCommands: AsyncCommandGroup {
    var help: String { "Manage sharing groups and share documents into them" }
    var commands: [String: any AnyAsyncCommand] {
        ["create": Create(), "list": List(), "add-member": AddMember(), "remove-member": RemoveMember(), "share": Share()]
    }

    static func group(named name: String?, for user: User, on db: any Database) async throws -> (SharingGroup, GroupMember?) {
        guard let name, let group = try await SharingGroup.query(on: db).filter(\.$name == name).first() else {
            throw FieldError("group", "no group is called \(name ?? "(none given)")")
        }
        return try await GroupService.find(group.id, for: user, on: db)
    }

    struct Create: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "name", help: "The group's name") var name: String?
            @Option(name: "description", help: "What it is for") var description: String?
            @Option(name: "as", help: "E-mail of the account that owns it") var owner: String?
        }
        var help: String { "Start a group, owned by the account given with --as" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            let (user, caller) = try await context.application.commandLineCaller(as: signature.owner)
            let group = try await GroupService.create(
                name: signature.name, description: signature.description, by: user, caller: caller, on: context.application.db)
            context.console.output("Created \(group.name) (\(try group.requireID())), owned by \(user.email)".consoleText())
        }
    }

    struct List: AsyncCommand {
        struct Signature: CommandSignature {}
        var help: String { "List every group with its members" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let db = context.application.db
            try await FirstStart.prepareDatabase(context.application)
            for group in try await SharingGroup.query(on: db).sort(\.$name).all() {
                let members = try await GroupService.members(of: group, on: db)
                context.console.output("\(group.name)\t\(members.count) members\t\(try group.requireID())".consoleText(.info))
                for member in members { context.console.output("  \(member.user.email)\(member.owner ? "\towner" : "")".consoleText()) }
            }
        }
    }

    struct AddMember: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "group", help: "The group's name") var group: String?
            @Option(name: "email", help: "The account to add") var email: String?
            @Flag(name: "owner", help: "Make them an owner too") var owner: Bool
            @Option(name: "as", help: "E-mail of an owner of the group") var actingAs: String?
        }
        var help: String { "Add a member to a group, as one of its owners" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            let (user, caller) = try await context.application.commandLineCaller(as: signature.actingAs)
            let (group, membership) = try await GroupCommands.group(named: signature.group, for: user, on: context.application.db)
            let member = try await GroupService.addMember(
                email: signature.email, owner: signature.owner, to: group, membership: membership,
                by: user, caller: caller, on: context.application.db)
            context.console.output("Added \(member.user.email) to \(group.name)".consoleText())
        }
    }

    struct RemoveMember: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "group", help: "The group's name") var group: String?
            @Option(name: "email", help: "The member to remove") var email: String?
            @Option(name: "as", help: "E-mail of an owner of the group") var actingAs: String?
        }
        var help: String { "Remove a member from a group, as one of its owners" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let db = context.application.db
            try await FirstStart.prepareDatabase(context.application)
            let (user, caller) = try await context.application.commandLineCaller(as: signature.actingAs)
            let (group, membership) = try await GroupCommands.group(named: signature.group, for: user, on: db)
            let member = try await UserService.find(email: signature.email ?? "", on: db)
            try await GroupService.removeMember(userID: member?.id, from: group, membership: membership, caller: caller, on: db)
            context.console.output("Removed \(signature.email ?? "") from \(group.name)".consoleText())
        }
    }

    struct Share: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "group", help: "The group's name") var group: String?
            @Option(name: "marking", help: "The security marking of every file, e.g. OFFICIAL-SENSITIVE") var marking: String?
            @Option(name: "descriptors", help: "Comma-separated descriptors, e.g. LOCSEN") var descriptors: String?
            @Option(name: "as", help: "E-mail of the member sharing them") var actingAs: String?
            @Argument(name: "path", help: "A file, or a folder whose files are all shared; each becomes a document titled by its name")
            var path: String
        }
        var help: String {
            "Share files into a group as documents: every file is checked first, then all are stored in one transaction or none"
        }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            try await FirstStart.prepareDatabase(app)
            let (user, caller) = try await context.application.commandLineCaller(as: signature.actingAs)
            let (group, membership) = try await GroupCommands.group(named: signature.group, for: user, on: app.db)
            let reader = try await Reader.load(user, scheme: app.markingScheme, at: caller.now, on: app.db)
            var checked: [SharedItemService.CheckedShare] = []
            var problems: [String] = []
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: signature.path, isDirectory: &isFolder) else {
                throw FieldError("path", "\(signature.path) does not exist")
            }
            let files =
                isFolder.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: signature.path).filter { !$0.hasPrefix(".") }.sorted()
                    .map { URL(fileURLWithPath: signature.path).appendingPathComponent($0).path }
                : [signature.path]
            if files.isEmpty { throw FieldError("path", "\(signature.path) holds no files") }
            for path in files {
                let name = URL(fileURLWithPath: path).lastPathComponent
                guard let data = FileManager.default.contents(atPath: path) else { problems.append("\(path): cannot be read"); continue }
                let request = ShareRequest(
                    kind: .document, title: URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent,
                    marking: signature.marking, descriptors: signature.descriptors, file: UploadedFile(filename: name, data: data))
                do {
                    checked.append(
                        try SharedItemService.check(
                            request, into: group, membership: membership, reader: reader,
                            policy: SharedItemService.policy(app)))
                } catch let errors as ValidationErrors {
                    problems += errors.errors.map { "\(path): \($0.field): \($0.message)" }
                }
            }
            if !problems.isEmpty {
                for problem in problems { context.console.error(problem) }
                throw FieldError("files", "\(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was shared")
            }
            let bar = context.console.progressBar(title: "Sharing \(checked.count) files into \(group.name)")
            bar.start()
            let shares = checked
            try await Audit.transaction(on: app.db, caller: caller) { tx, audit in
                for (index, share) in shares.enumerated() {
                    try await SharedItemService.store(share, by: user, at: caller.now, on: tx, audit: audit)
                    bar.activity.currentProgress = Double(index + 1) / Double(shares.count)
                }
            }
            bar.succeed()
            context.console.output(
                "Shared \(checked.count) documents into \(group.name), marked \(checked.first.map { $0.item.marking.description } ?? "")"
                    .consoleText())
        }
    }
}
