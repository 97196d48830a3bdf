import Fluent
import Foundation
import InspectorateCore
import Testing
import Vapor
import VaporTesting

@testable import InspectorateApp

/// A model-based property test of the inspection loop (issue 9): random sequences of actions
/// by random people through every write path (API, page form, CSV import by API and command
/// line, single and bulk moves, re-marking, closing the cycle, and carry-forward at the end)
/// against the running app. After each step the database must agree with a model that
/// applies the workflow rule (`AssessmentWorkflow`, itself tested against hand-written
/// tables), and no response may carry a narrative, rationale or reason the reader may not
/// read. Reads (API, history, pages, export, work list) are checked for leaks too.
///
/// Seeds are fixed so a failure repeats; set INSPECTORATE_PROPERTY_SEED to try another.
@Suite("Workflow against its model")
struct WorkflowModelTests {
    static let organisations = ["essex", "kent"]
    static let criteria = JudgementImportTests.codes
    static let cycle = "prop"

    /// Choices from a seeded generator, so each run is repeatable.
    struct Random {
        var generator: SplitMix64
        mutating func next() -> UInt64 { generator.next() }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
    }

    struct Key: Hashable, CustomStringConvertible {
        var organisation: String
        var kind: AssessmentKind
        var description: String { "\(organisation)/\(kind.rawValue)" }
    }

    /// What the model says an assessment is.
    struct ModelAssessment {
        var status: AssessmentStatus = .draft
        var marking = "OFFICIAL-SENSITIVE"
        var entries: [String: JudgementEntry] = [:]
        /// Every narrative, rationale and reason ever written into it.
        var secrets: Set<String> = []
    }

    struct Person {
        var name: String
        var user: TestUser
        var session: WebSession
    }

    final class Run {
        let app: Application
        let clock: ManualClock
        var framework: Framework?
        var random: Random
        var people: [Person] = []
        var model: [Key: ModelAssessment] = [:]
        var cycleOpen = true
        var organisationIDs: [String: UUID] = [:]
        var log: [String] = []
        var step = 0

        init(app: Application, clock: ManualClock, seed: UInt64) {
            self.app = app
            self.clock = clock
            random = Random(generator: SplitMix64(seed: seed))
        }

        var keys: [Key] {
            WorkflowModelTests.organisations.flatMap { org in AssessmentKind.allCases.map { Key(organisation: org, kind: $0) } }
        }

        func principal(_ person: Person) throws -> Principal { try person.user.user.principal }

        func state(_ key: Key) -> AssessmentState {
            AssessmentState(
                kind: key.kind, status: model[key]!.status, organisationID: organisationIDs[key.organisation]!,
                cycle: cycleOpen ? .open : .closed)
        }

        func readable(_ person: Person, _ key: Key) throws -> Bool {
            let who = try principal(person)
            guard
                AccessRule.canView(
                    assessment: key.kind, status: model[key]!.status, organisationID: organisationIDs[key.organisation]!, principal: who)
            else { return false }
            let record = MarkedRecord(
                marking: Marking.parse(level: model[key]!.marking, descriptors: nil), organisationID: organisationIDs[key.organisation]!)
            return AccessRule.canRead(record, principal: who, groups: [], scheme: app.markingScheme, at: app.clock.now())
        }

        func clearance(_ person: Person, _ key: Key) throws -> NarrativeClearance {
            let who = try principal(person)
            let record = MarkedRecord(
                marking: Marking.parse(level: model[key]!.marking, descriptors: nil), organisationID: organisationIDs[key.organisation]!)
            return NarrativeClearance(
                readable: AccessRule.canRead(record, principal: who, groups: [], scheme: app.markingScheme, at: app.clock.now()),
                marking: model[key]!.marking)
        }

        func refusal(_ action: AssessmentAction, _ person: Person, _ key: Key) throws -> DomainError? {
            AssessmentWorkflow.refusal(of: action, on: state(key), by: try principal(person), narratives: try clearance(person, key))
        }

        func complete(_ key: Key, after changes: [String: JudgementEntry] = [:]) throws -> Bool {
            guard let framework else { return false }
            return AssessmentWorkflow.missing(for: framework, entries: model[key]!.entries.merging(changes) { $1 }).isEmpty
        }

        /// The stored assessment and its judgements, for versions and for comparing with the model.
        func stored(_ key: Key, cycle: String = WorkflowModelTests.cycle) async throws -> Assessment? {
            let cycleRecord = try await Cycle.query(on: app.db).filter(\.$code == cycle).first()!
            return try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycleRecord.requireID())
                .filter(\.$organisation.$id == organisationIDs[key.organisation]!).filter(\.$kind == key.kind).with(\.$judgements).first()
        }

        func judgementVersion(_ key: Key, _ criterion: String) async throws -> Int {
            try await stored(key)?.judgements.first { $0.criterionCode == criterion }?.version ?? 0
        }

        func path(_ key: Key) -> String {
            "/cycles/\(WorkflowModelTests.cycle)/organisations/\(key.organisation)/assessments/\(key.kind.rawValue)"
        }

        // MARK: Checks

        var failed = false
        /// How many steps of each kind were allowed and refused: a run that allows nothing
        /// tests nothing.
        var tally: [String: Int] = [:]

        /// Records the first departure with the steps that led to it; the run then stops,
        /// since the model no longer describes the database.
        func fail(_ message: String) {
            if !failed { Issue.record("step \(step): \(message)\nlast steps:\n" + log.suffix(12).joined(separator: "\n")) }
            failed = true
        }

        /// Nothing in `text`, shown to `person`, is a secret of an assessment they may not read.
        func checkLeaks(_ text: String, to person: Person, via what: String) throws {
            for key in keys where try !readable(person, key) {
                for secret in model[key]!.secrets where text.contains(secret) {
                    fail("\(what) showed \(person.name) \(secret) from \(key), which they may not read")
                }
            }
        }

        func checkDatabase() async throws {
            for key in keys {
                let expected = model[key]!
                let assessment = try await stored(key)
                let status = assessment?.status ?? .draft
                if status != expected.status {
                    fail("\(key) is \(status.rawValue) in the database, \(expected.status.rawValue) in the model")
                }
                let marking = assessment?.narrativeMarkingLevel ?? "OFFICIAL-SENSITIVE"
                if marking != expected.marking { fail("\(key) is marked \(marking) in the database, \(expected.marking) in the model") }
                for criterion in WorkflowModelTests.criteria {
                    let row = assessment?.judgements.first { $0.criterionCode == criterion }
                    let actual = JudgementEntry(level: row?.level, narrative: row?.narrative ?? "", rationale: row?.rationale ?? "")
                    let want = expected.entries[criterion] ?? JudgementEntry(level: nil, narrative: "", rationale: "")
                    if actual != want { fail("\(key) \(criterion): database \(actual), model \(want)") }
                }
            }
        }

        /// A refused write answers 4xx (404 exactly when the rule says not found, on paths
        /// that address one assessment); an allowed one `success`.
        func checkStatus(_ status: HTTPStatus, refused: DomainError?, success: HTTPStatus, single: Bool, what: String) {
            if let refused {
                if single, case .notFound = refused, status != .notFound { fail("\(what): \(status.code), expected 404 (\(refused))") }
                if !(400..<500).contains(Int(status.code)) { fail("\(what): \(status.code), expected a refusal: \(refused)") }
            } else if status != success {
                fail("\(what): \(status.code), expected \(success.code)")
            }
        }

        // MARK: Actions

        func token(_ prefix: String, _ suffix: Int = 0) -> String { "\(prefix)-\(step)-\(suffix)-end" }

        func apply(_ key: Key, _ changes: [String: JudgementEntry], reason: String?) {
            for (criterion, entry) in changes {
                model[key]!.entries[criterion] = entry
                model[key]!.secrets.formUnion([entry.narrative, entry.rationale].filter { !$0.isEmpty })
            }
            if let reason { model[key]!.secrets.insert(reason) }
        }

        func send(_ person: Person, _ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil) async throws -> TestingHTTPResponse
        {
            try await app.testing().sendRequest(method, path, headers: .bearer(person.user, json: body != nil), body: body.map(json))
        }

        /// One judgement through the API (`viaPage` false) or the page's form.
        /// A person and an assessment: most of the time a pair the rule lets act (so runs get
        /// past draft), otherwise any pair.
        func choose(where allowed: (Person, Key) throws -> Bool) throws -> (Int, Key) {
            if random.chance(65) {
                var pairs: [(Int, Key)] = []
                for (index, person) in people.enumerated() { for key in keys where try allowed(person, key) { pairs.append((index, key)) } }
                if !pairs.isEmpty { return random.pick(pairs) }
            }
            return (random.int(0...(people.count - 1)), random.pick(keys))
        }

        /// The moves the rule allows `person` on `key` now, completeness included.
        func allowedMoves(_ person: Person, _ key: Key) throws -> [AssessmentStatus] {
            try AssessmentStatus.allCases.filter { target in
                try refusal(.move(to: target, reason: "why"), person, key) == nil
                    && (target.order < model[key]!.status.order || complete(key))
            }
        }

        func writeOne(viaPage: Bool) async throws {
            let (index, key) = try choose { try refusal(.judge(text: false, reason: "why"), $0, $1) == nil }
            var person = people[index]
            let criterion = random.pick(WorkflowModelTests.criteria)
            let clear = random.chance(10)
            let level = random.int(1...5)
            let text = random.chance(40)
            let reason: String? = random.chance(60) ? token("why") : nil
            let current = try await judgementVersion(key, criterion)
            let stale = random.chance(10)
            let refused = try refusal(.judge(text: text, reason: reason), person, key)
            let old = model[key]!.entries[criterion] ?? JudgementEntry(level: nil, narrative: "", rationale: "")
            let entry = JudgementEntry(
                level: clear ? nil : level, narrative: text ? token("narrative") : old.narrative,
                rationale: text ? token("rationale") : old.rationale)
            log.append(
                "\(step): \(person.name) \(viaPage ? "page" : "API") \(key) \(criterion) level \(entry.level.map(String.init) ?? "none") text \(text) reason \(reason != nil) stale \(stale) → \(refused.map { "\($0)" } ?? "allowed")"
            )
            let response: TestingHTTPResponse
            if viaPage {
                var form = ["level": clear ? "" : String(level), "version": String(stale ? current + 3 : current)]
                if text { form["narrative"] = entry.narrative; form["rationale"] = entry.rationale }
                if let reason { form["reason"] = reason }
                let path = "\(self.path(key))/judgements/\(criterion)"
                response = try await person.session.post(path, form: form, from: "/account")
                people[index] = person
                checkStatus(
                    response.status, refused: refused ?? (stale ? .stale(current: nil) : nil), success: .seeOther, single: true,
                    what: "page")
            } else {
                var body: [String: Any] = ["level": clear ? NSNull() : level, "version": stale ? current + 3 : current]
                if text { body["narrative"] = entry.narrative; body["rationale"] = entry.rationale }
                if let reason { body["reason"] = reason }
                response = try await send(person, .PUT, "/api/v1\(path(key))/judgements/\(criterion)", body)
                checkStatus(
                    response.status, refused: refused ?? (stale ? .stale(current: nil) : nil), success: .ok, single: true, what: "API")
            }
            tally[refused == nil && !stale ? "write allowed" : "write refused", default: 0] += 1
            if refused == nil && !stale { apply(key, [criterion: entry], reason: reason) }
            try checkLeaks(response.body.string, to: person, via: viaPage ? "the page" : "the API")
        }

        /// Several criteria of one assessment from a CSV file, by the API or the command line.
        func importRows(viaCommandLine: Bool) async throws {
            let (index, key) = try choose { try refusal(.judge(text: false, reason: "why"), $0, $1) == nil }
            let person = people[index]
            let fill = random.chance(50)
            let chosen = fill ? WorkflowModelTests.criteria : WorkflowModelTests.criteria.filter { _ in random.chance(40) }
            guard !chosen.isEmpty else { return }
            let text = fill || random.chance(40)
            let reason: String? = random.chance(60) ? token("why") : nil
            let dryRun = !viaCommandLine && random.chance(15)
            let level = random.int(1...5)
            var csv = text ? "organisation,criterion,level,narrative,rationale\n" : "organisation,criterion,level\n"
            var changes: [String: JudgementEntry] = [:]
            for (position, criterion) in chosen.enumerated() {
                let old = model[key]!.entries[criterion] ?? JudgementEntry(level: nil, narrative: "", rationale: "")
                let entry = JudgementEntry(
                    level: level, narrative: text ? token("narrative", position) : old.narrative,
                    rationale: text ? token("rationale", position) : old.rationale)
                changes[criterion] = entry
                csv +=
                    text
                    ? "\(key.organisation),\(criterion),\(level),\(entry.narrative),\(entry.rationale)\n"
                    : "\(key.organisation),\(criterion),\(level)\n"
            }
            let refused = try refusal(.judge(text: text, reason: reason), person, key)
            log.append(
                "\(step): \(person.name) \(viaCommandLine ? "command-line" : "API") import \(key) \(chosen.count) rows text \(text) reason \(reason != nil) dry \(dryRun) → \(refused.map { "\($0)" } ?? "allowed")"
            )
            let shown: String
            if viaCommandLine {
                let file = try InspectionLoopTests.file(csv)
                var arguments = [
                    "judgements", "import", WorkflowModelTests.cycle, file, "--as", person.user.email, "--assessment", key.kind.rawValue,
                ]
                if let reason { arguments += ["--reason", reason] }
                shown = await InspectionLoopTests.cli(app, arguments)
                if refused == nil && shown.hasPrefix("error:") { fail("command-line import refused: \(shown)") }
                if refused != nil && !shown.hasPrefix("error:") { fail("command-line import allowed: \(shown)") }
            } else {
                var headers = person.user.bearer
                headers.replaceOrAdd(name: .contentType, value: "text/csv")
                var query = "?assessment=\(key.kind.rawValue)"
                if let reason { query += "&reason=\(reason)" }
                if dryRun { query += "&dry_run=true" }
                let response = try await app.testing().sendRequest(
                    .POST, "/api/v1/cycles/\(WorkflowModelTests.cycle)/judgements\(query)", headers: headers, body: ByteBuffer(string: csv))
                checkStatus(response.status, refused: refused, success: .ok, single: false, what: "import")
                shown = response.body.string
            }
            tally[refused == nil ? "import allowed" : "import refused", default: 0] += 1
            if refused == nil && !dryRun { apply(key, changes, reason: reason) }
            try checkLeaks(shown, to: person, via: viaCommandLine ? "the command line" : "the import")
        }

        /// A move of one assessment (the API) or several at once (the bulk API).
        func move(bulk: Bool) async throws {
            let (index, key) = try choose { try !allowedMoves($0, $1).isEmpty }
            let person = people[index]
            let kind = key.kind
            var organisations = [key.organisation]
            if bulk { organisations += WorkflowModelTests.organisations.filter { $0 != key.organisation && random.chance(40) } }
            let possible = try allowedMoves(person, key)
            let target = !possible.isEmpty && random.chance(80) ? random.pick(possible) : random.pick(AssessmentStatus.allCases)
            let reason: String? = random.chance(60) ? token("why") : nil
            var refused: DomainError?
            for organisation in organisations {
                let key = Key(organisation: organisation, kind: kind)
                if let refusal = try refusal(.move(to: target, reason: reason), person, key) {
                    refused = refused ?? refusal
                } else if target.order > model[key]!.status.order, try !complete(key) {
                    refused = refused ?? .incomplete(field: "judgements", message: "incomplete", missing: [])
                }
            }
            log.append(
                "\(step): \(person.name) \(bulk ? "bulk " : "")move \(organisations) \(kind.rawValue) to \(target.rawValue) reason \(reason != nil) → \(refused.map { "\($0)" } ?? "allowed")"
            )
            let response: TestingHTTPResponse
            if bulk {
                var body: [String: Any] = ["organisations": organisations, "to": target.rawValue, "assessment": kind.rawValue]
                if let reason { body["reason"] = reason }
                response = try await send(person, .POST, "/api/v1/cycles/\(WorkflowModelTests.cycle)/transitions", body)
            } else {
                let key = Key(organisation: organisations[0], kind: kind)
                var body: [String: Any] = ["to": target.rawValue, "version": try await stored(key)?.version ?? 1]
                if let reason { body["reason"] = reason }
                response = try await send(person, .POST, "/api/v1\(path(key))/transitions", body)
            }
            checkStatus(response.status, refused: refused, success: .ok, single: !bulk, what: bulk ? "bulk move" : "move")
            tally[refused == nil ? "move allowed" : "move refused", default: 0] += 1
            if refused == nil { tally["moved to \(target.rawValue)", default: 0] += 1 }
            if refused == nil {
                for organisation in organisations {
                    let key = Key(organisation: organisation, kind: kind)
                    model[key]!.status = target
                    if let reason { model[key]!.secrets.insert(reason) }
                }
            }
            try checkLeaks(response.body.string, to: person, via: bulk ? "the bulk move" : "the move")
        }

        func remark() async throws {
            let (index, key) = try choose { try refusal(.remark(lowering: false), $0, $1) == nil }
            let person = people[index]
            let target = random.pick(["OFFICIAL-SENSITIVE", "SECRET"])
            let lowering = target == "OFFICIAL-SENSITIVE" && model[key]!.marking == "SECRET"
            var refused = try refusal(.remark(lowering: lowering), person, key)
            if refused == nil {
                let required = app.markingScheme.level(target)?.minimumVetting ?? .none
                let vetting = try principal(person).vetting.effectiveLevel(at: app.clock.now())
                if target == model[key]!.marking || vetting < required {
                    refused = .refused(field: "marking", message: "same or above vetting")
                }
            }
            log.append("\(step): \(person.name) marks \(key) \(target) → \(refused.map { "\($0)" } ?? "allowed")")
            let response = try await send(
                person, .PUT, "/api/v1\(path(key))/marking",
                ["marking": target, "reason": token("why"), "confirm_downgrade": true, "version": try await stored(key)?.version ?? 1])
            checkStatus(response.status, refused: refused, success: .ok, single: true, what: "marking")
            tally[refused == nil ? "marking allowed" : "marking refused", default: 0] += 1
            if refused == nil {
                model[key]!.marking = target
                model[key]!.secrets.insert(token("why"))
            }
            try checkLeaks(response.body.string, to: person, via: "the marking change")
        }

        func openOrClose(_ index: Int) async throws {
            let person = people[index]
            let allowed = AccessRule.canCreateCycles(try principal(person))
            let target = cycleOpen ? "closed" : "open"
            log.append("\(step): \(person.name) sets the cycle \(target) → \(allowed ? "allowed" : "refused")")
            let response = try await send(
                person, .PUT, "/api/v1/cycles/\(WorkflowModelTests.cycle)/status", ["status": target, "reason": "Review"])
            checkStatus(response.status, refused: allowed ? nil : .forbidden(reason: ""), success: .ok, single: false, what: "cycle status")
            if allowed { cycleOpen.toggle() }
        }

        func read(_ index: Int) async throws {
            var person = people[index]
            let key = random.pick(keys)
            let visible = AccessRule.canView(
                assessment: key.kind, status: model[key]!.status, organisationID: organisationIDs[key.organisation]!,
                principal: try principal(person))
            let which = random.int(0...4)
            let response: TestingHTTPResponse
            switch which {
            case 0: response = try await send(person, .GET, "/api/v1\(path(key))")
            case 1: response = try await send(person, .GET, "/api/v1\(path(key))/history")
            case 2:
                response = try await person.session.get(path(key))
                people[index] = person
            case 3: response = try await send(person, .GET, "/api/v1/cycles/\(WorkflowModelTests.cycle)/export")
            default: response = try await send(person, .GET, "/api/v1/me/work")
            }
            log.append("\(step): \(person.name) reads \(which) of \(key): \(response.status.code)")
            if which <= 2 && !visible && response.status != .notFound {
                fail("\(person.name) read \(key) (view \(which)): \(response.status.code), expected 404")
            }
            if which <= 2 && visible && response.status != .ok {
                fail("\(person.name) could not read \(key) (view \(which)): \(response.status.code)")
            }
            try checkLeaks(response.body.string, to: person, via: "read \(which)")
        }

        func runSteps(_ count: Int) async throws {
            for number in 1...count {
                step = number
                clock.advance(by: 60)
                let index = random.int(0...(people.count - 1))
                switch random.int(0...99) {
                case 0..<20: try await writeOne(viaPage: false)
                case 20..<27: try await writeOne(viaPage: true)
                case 27..<47: try await importRows(viaCommandLine: false)
                case 47..<52: try await importRows(viaCommandLine: true)
                case 52..<66: try await move(bulk: true)
                case 66..<76: try await move(bulk: false)
                case 76..<83: try await remark()
                case 83..<86: try await openOrClose(index)
                default: try await read(index)
                }
                try await checkDatabase()
                if failed { return }
            }
        }

        /// Carry-forward into a following cycle: each final assessment is copied as a draft,
        /// with its marking; nothing else is.
        func carryForward() async throws {
            let lead = people.first { $0.name == "lead" }!
            let created = try await send(
                lead, .POST, "/api/v1/cycles",
                [
                    "code": "prop-next", "title": "Next", "framework": "graded-judgement@2022.1", "self_assessment_due": "2023-01-31",
                    "fieldwork_start": "2023-02-01", "fieldwork_end": "2023-04-30", "moderation_due": "2023-05-31",
                    "publication": "2023-07-01",
                    "organisations": WorkflowModelTests.organisations, "previous": WorkflowModelTests.cycle,
                ])
            if created.status != .created { fail("next cycle: \(created.text)") }
            for kind in AssessmentKind.allCases {
                let carried = try await send(lead, .POST, "/api/v1/cycles/prop-next/carry-forward", ["assessment": kind.rawValue])
                if carried.status != .ok { fail("carry-forward \(kind): \(carried.text)") }
            }
            for key in keys {
                let copy = try await stored(key, cycle: "prop-next")
                let source = model[key]!
                if source.status == .final {
                    if copy?.status != .draft { fail("carried \(key) is \(copy?.status.rawValue ?? "absent"), expected a draft") }
                    if (copy?.narrativeMarkingLevel ?? "OFFICIAL-SENSITIVE") != source.marking {
                        fail("carried \(key) is marked \(copy?.narrativeMarkingLevel ?? "default"), the original \(source.marking)")
                    }
                    for criterion in WorkflowModelTests.criteria {
                        let row = copy?.judgements.first { $0.criterionCode == criterion }
                        let want = source.entries[criterion] ?? JudgementEntry(level: nil, narrative: "", rationale: "")
                        let got = JudgementEntry(level: row?.level, narrative: row?.narrative ?? "", rationale: row?.rationale ?? "")
                        if got != want { fail("carried \(key) \(criterion): \(got), expected \(want)") }
                    }
                } else if !(copy?.judgements.isEmpty ?? true) {
                    fail("\(key) was \(source.status.rawValue), yet was carried forward")
                }
            }
        }
    }

    static var seeds: [UInt64] {
        if let given = ProcessInfo.processInfo.environment["INSPECTORATE_PROPERTY_SEED"].flatMap(UInt64.init) { return [given] }
        return [1, 2, 3]
    }

    @Test(arguments: seeds)
    func everyPathAgreesWithTheModel(seed: UInt64) async throws {
        let clock = ManualClock(testInstant, tick: 0.001)
        try await withApp(clock: clock) { app in
            let lead = try await app.makeUser(.leadInspector, vetting: .sc)
            let loop = InspectionLoopTests.Loop(app: app, cast: ["lead_inspector": lead])
            try await loop.create(code: Self.cycle, organisations: Self.organisations)
            let run = Run(app: app, clock: clock, seed: seed)
            run.framework = try await CycleService.require(code: Self.cycle, scope: .all, on: app.db).framework.framework()
            for code in Self.organisations {
                run.organisationIDs[code] = try await Organisation.query(on: app.db).filter(\.$code == code).first()!.requireID()
            }
            for key in run.keys { run.model[key] = ModelAssessment() }
            let lapsed = try await app.makeUser(.inspector, vetting: .sc)
            lapsed.user.vettingExpires = app.clock.now().addingTimeInterval(3_000)
            try await lapsed.user.save(on: app.db)
            let cast: [(String, TestUser)] = [
                ("lead", lead),
                ("inspector", try await app.makeUser(.inspector, vetting: .sc)),
                ("bpss-inspector", try await app.makeUser(.inspector, vetting: .bpss)),
                ("lapsing-inspector", lapsed),
                ("analyst", try await app.makeUser(.analyst, vetting: .sc)),
                ("administrator", try await app.makeUser(.administrator, vetting: .sc)),
                ("kent-member", try await app.makeUser(.organisationMember, organisation: "kent", vetting: .bpss)),
                ("kent-unvetted", try await app.makeUser(.organisationMember, organisation: "kent")),
                ("essex-partner", try await app.makeUser(.partner, organisation: "essex", vetting: .bpss)),
            ]
            for (name, user) in cast {
                var session = WebSession(app: app)
                _ = try await session.signIn(user.email, testPassword)
                run.people.append(Person(name: name, user: user, session: session))
            }
            try await run.runSteps(200)
            if run.failed { return }
            let tally = run.tally
            print("seed \(seed): \(tally.sorted { $0.key < $1.key })")
            #expect(
                tally["write allowed", default: 0] >= 10 && tally["import allowed", default: 0] >= 5
                    && tally["move allowed", default: 0] >= 3
                    && tally["marking allowed", default: 0] >= 1 && tally["moved to final", default: 0] >= 1,
                "too little was allowed for the run to test anything: \(tally)")
            if !run.cycleOpen {
                _ = try await run.send(
                    run.people[0], .PUT, "/api/v1/cycles/\(Self.cycle)/status", ["status": "open", "reason": "Carry forward"])
            }
            try await run.carryForward()
        }
    }
}
