import Fluent
import InspectorateCore
import Vapor

/// `inspectorate cycle list | create | carry-forward`
struct CycleCommands: AsyncCommandGroup {
    var help: String { "Inspection cycles" }
    var commands: [String: any AnyAsyncCommand] {
        [
            "list": List(), "create": Create(), "carry-forward": Carry(), "move": Move(), "close": SetStatus(status: .closed),
            "reopen": SetStatus(status: .open), "deadlines": Deadlines(),
        ]
    }

    struct List: AsyncCommand {
        struct Signature: CommandSignature {}
        var help: String { "List inspection cycles" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            context.console.output("code\tframework\tself_assessment_due\tpublication\torganisations\ttitle")
            for cycle in try await CycleService.list(scope: .all, on: context.application.db) {
                let count = try await CycleOrganisation.query(on: context.application.db).filter(\.$cycle.$id == cycle.requireID()).count()
                context.console.output(
                    [cycle.code, cycle.framework.reference, cycle.selfAssessmentDue, cycle.publication, String(count), cycle.title]
                        .joined(separator: "\t").consoleText())
            }
        }
    }

    struct Carry: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "cycle", help: "The cycle to start; it must follow an earlier cycle") var cycle: String
            @Option(name: "assessment", help: "inspection (default) or self") var assessment: String?
            @Option(name: "as", help: "E-mail of the administrator or lead inspector carrying it forward") var actingAs: String?
        }
        var help: String { "Start each organisation's assessment from its final one in the previous cycle, and report what differs" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let db = context.application.db
            try await FirstStart.prepareDatabase(context.application)
            guard let kind = AssessmentKind(rawValue: signature.assessment ?? "inspection") else {
                throw FieldError("assessment", "use inspection or self")
            }
            let app = context.application
            let (user, caller) = try await app.commandLineCaller(as: signature.actingAs)
            let reader = try await Reader.load(user, scheme: app.markingScheme, at: caller.now, on: db)
            let report = try await CarryForward.run(
                into: try await CycleService.require(code: signature.cycle, scope: .all, on: db), kind: kind, reader: reader,
                caller: caller,
                on: db)
            for change in report.frameworkChanges {
                context.console.output("framework: \(change.kind) \(change.path) \(change.detail)".consoleText())
            }
            for line in report.organisations {
                var text = "\(line.organisation): \(line.copied) judgements carried forward"
                if let tier = line.tier { text += "; tier \(tier) carried forward" }
                if !line.skipped.isEmpty { text += "; not carried (not in the new framework): \(line.skipped.joined(separator: ", "))" }
                if let note = line.note { text = "\(line.organisation): \(note)" }
                context.console.output(text.consoleText())
            }
        }
    }
}

extension CycleCommands {
    struct Create: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "code", help: "Cycle code, like prevent-2010") var code: String?
            @Option(name: "title", help: "Title") var title: String?
            @Option(name: "framework", help: "CODE@VERSION of an imported framework") var framework: String?
            @Option(name: "self-assessment-due", help: "YYYY-MM-DD") var selfAssessmentDue: String?
            @Option(name: "fieldwork-start", help: "YYYY-MM-DD") var fieldworkStart: String?
            @Option(name: "fieldwork-end", help: "YYYY-MM-DD") var fieldworkEnd: String?
            @Option(name: "moderation-due", help: "YYYY-MM-DD") var moderationDue: String?
            @Option(name: "publication", help: "YYYY-MM-DD") var publication: String?
            @Option(name: "organisations", help: "Codes in scope, comma-separated; every force and agency when omitted") var organisations:
                String?
            @Option(name: "previous", help: "Code of the cycle this one follows") var previous: String?
            @Option(
                name: "kind",
                help:
                    "Instead of --organisations: every organisation of this kind (territorial_force, special_force, national_agency, partner_body)"
            ) var kind: String?
            @Option(name: "deadlines", help: "Each tier's own deadline in this cycle, like engage=2011-03-31,standard=2012-03-31")
            var deadlines: String?
        }
        var help: String { "Start an inspection cycle" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await FirstStart.prepareDatabase(context.application)
            let codes = signature.organisations.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            var kind: OrganisationKind?
            if let raw = signature.kind {
                guard let parsed = OrganisationKind(rawValue: raw) else {
                    throw FieldError("kind", "use one of \(OrganisationKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kind = parsed
            }
            let cycle = try await CycleService.create(
                CycleInput(
                    code: signature.code, title: signature.title, framework: signature.framework,
                    selfAssessmentDue: signature.selfAssessmentDue,
                    fieldworkStart: signature.fieldworkStart, fieldworkEnd: signature.fieldworkEnd, moderationDue: signature.moderationDue,
                    publication: signature.publication, organisations: codes, previous: signature.previous, kind: kind,
                    deadlines: try Deadlines.parse(signature.deadlines)),
                caller: context.application.commandLineCaller(), on: context.application.db)
            let count = try await CycleOrganisation.query(on: context.application.db).filter(\.$cycle.$id == cycle.requireID()).count()
            context.console.output("Started \(cycle.code) with \(count) organisations".consoleText())
        }
    }
}

extension CycleCommands {
    /// `inspectorate cycle move CYCLE --to STATUS [--organisations a,b | --from STATUS] --as EMAIL`
    struct Move: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "cycle", help: "Cycle code") var cycle: String
            @Option(name: "to", help: "draft, submitted, moderated or final") var to: String?
            @Option(name: "assessment", help: "inspection (default) or self") var assessment: String?
            @Option(name: "organisations", help: "Codes of the organisations whose assessments to move, comma-separated") var organisations:
                String?
            @Option(name: "from", help: "Instead of --organisations: every assessment now in this status") var from: String?
            @Option(name: "reason", help: "Why (needed to send assessments back)") var reason: String?
            @Option(name: "as", help: "E-mail of the account moving them: the workflow's rule applies to it") var actingAs: String?
        }
        var help: String { "Move many assessments through the workflow at once: all or none, every refusal listed" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            try await FirstStart.prepareDatabase(app)
            guard let target = signature.to.flatMap(AssessmentStatus.init(rawValue:)) else {
                throw FieldError("to", "give --to as draft, submitted, moderated or final")
            }
            guard let kind = AssessmentKind(rawValue: signature.assessment ?? "inspection") else {
                throw FieldError("assessment", "use inspection or self")
            }
            let selection: BulkWorkflow.Selection
            switch (signature.organisations, signature.from) {
            case (let codes?, nil): selection = .organisations(codes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            case (nil, let status?):
                guard let from = AssessmentStatus(rawValue: status) else {
                    throw FieldError("from", "use draft, submitted, moderated or final")
                }
                selection = .inStatus(from)
            default: throw FieldError("organisations", "give --organisations or --from, not both")
            }
            let (user, caller) = try await app.commandLineCaller(as: signature.actingAs)
            let reader = try await Reader.load(user, scheme: app.markingScheme, at: caller.now, on: app.db)
            let cycle = try await CycleService.require(
                code: signature.cycle, scope: AccessRule.organisationScope(for: reader.principal), on: app.db)
            let outcome = try await BulkWorkflow.move(
                in: cycle, kind: kind, selection: selection, to: target, reason: signature.reason, reader: reader, caller: caller,
                on: app.db)
            for moved in outcome.moved {
                context.console.output("\(moved.organisation): \(moved.from.rawValue) to \(moved.to.rawValue)".consoleText())
            }
            context.console.output("\(outcome.moved.count) moved".consoleText())
        }
    }

    /// `inspectorate cycle close|reopen CYCLE --reason R --as EMAIL`
    struct SetStatus: AsyncCommand {
        let status: CycleStatus

        struct Signature: CommandSignature {
            @Argument(name: "cycle", help: "Cycle code") var cycle: String
            @Option(name: "reason", help: "Why") var reason: String?
            @Option(name: "as", help: "E-mail of the administrator or lead inspector") var actingAs: String?
        }
        var help: String { status == .closed ? "Close a cycle: it then takes no changes" : "Reopen a closed cycle" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            try await FirstStart.prepareDatabase(app)
            let (user, caller) = try await app.commandLineCaller(as: signature.actingAs)
            let reader = try await Reader.load(user, scheme: app.markingScheme, at: caller.now, on: app.db)
            let cycle = try await CycleService.require(code: signature.cycle, scope: .all, on: app.db)
            try await CycleService.setStatus(cycle, to: status, reason: signature.reason, reader: reader, caller: caller, on: app.db)
            context.console.output("\(cycle.code) is now \(status.rawValue)".consoleText())
        }
    }

    /// `inspectorate cycle deadlines CYCLE --set engage=2011-03-31,standard= --as EMAIL`
    struct Deadlines: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "cycle", help: "Cycle code") var cycle: String
            @Option(name: "set", help: "TIER=YYYY-MM-DD pairs, comma-separated; TIER= returns a tier to the framework's date") var set:
                String?
            @Option(name: "as", help: "E-mail of the administrator or lead inspector") var actingAs: String?
        }
        var help: String { "Show, or set, the day each tier's minimum is required by in a cycle" }

        /// `engage=2011-03-31,standard=` as tier code to date ("" to clear).
        /// - Throws: `FieldError` on `deadlines` for a pair without `=`.
        static func parse(_ text: String?) throws -> [String: String] {
            var pairs: [String: String] = [:]
            for pair in (text ?? "").split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw FieldError("deadlines", "write each as TIER=YYYY-MM-DD, not \"\(pair)\"") }
                pairs[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
            }
            return pairs
        }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            try await FirstStart.prepareDatabase(app)
            let cycle = try await CycleService.require(code: signature.cycle, scope: .all, on: app.db)
            if let set = signature.set {
                let (user, caller) = try await app.commandLineCaller(as: signature.actingAs)
                let reader = try await Reader.load(user, scheme: app.markingScheme, at: caller.now, on: app.db)
                // Tiers not named keep the date they have; TIER= returns one to the framework's.
                var merged = cycle.tierDeadlines
                for (tier, date) in try Self.parse(set) { merged[tier] = date }
                try await CycleService.setDeadlines(cycle, to: merged, expectedVersion: nil, reader: reader, caller: caller, on: app.db)
            }
            context.console.output("tier\tminimum_required_by\tframework_deadline")
            for tier in try cycle.framework.framework().tiers {
                context.console.output("\(tier.code)\t\(cycle.deadline(of: tier))\t\(tier.deadline)".consoleText())
            }
        }
    }
}
