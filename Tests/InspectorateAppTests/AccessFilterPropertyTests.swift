import Fluent
import Foundation
import InspectorateCore
import PropertyBased
import Testing
import Vapor

@testable import InspectorateApp

/// The SQL filter and the pure rule are one rule: on whichever database the suite runs
/// (SQLite here, PostgreSQL in CI), every list equals exactly what `AccessRule.canRead` allows.
@Suite("Access filter equals the access rule")
struct AccessFilterPropertyTests {
    @Test func everyListIsExactlyWhatTheRuleAllows() async throws {
        try await withApp { app in
            let scheme = app.markingScheme
            var rng = Xoshiro(seed: (2009, 6, 4, 43))
            let now = app.clock.now()
            // Users with every vetting level, some expired, some expiring in a moment.
            var users: [User] = []
            for index in 0..<12 {
                let level = VettingLevel.allCases[index % VettingLevel.allCases.count]
                let made = try await app.makeUser(index % 3 == 0 ? .partner : .inspector, vetting: level)
                let expiry: Date? =
                    switch index % 4 {
                    case 0: now.addingTimeInterval(-1);
                    case 1: now.addingTimeInterval(3600);
                    default: nil
                    }
                if level != .none, let expiry {
                    _ = try await UserService.update(
                        made.user, with: UserChanges(vettingExpires: .some(expiry)), expectedVersion: made.user.version,
                        caller: app.commandLineCaller(), on: app.db)
                }
                users.append(try await UserService.find(id: made.user.requireID(), on: app.db)!)
            }
            // Groups with random members.
            var groups: [UUID] = []
            for index in 0..<4 {
                let group = try await GroupService.create(
                    name: "Group \(index)", description: nil, by: users[index], caller: app.commandLineCaller(), on: app.db)
                groups.append(group.id!)
                for user in users where Int.random(in: 0..<2, using: &rng) == 1 && user.id != users[index].id {
                    let member = GroupMember()
                    member.$group.id = group.id!
                    member.$user.id = user.id!
                    member.owner = false
                    member.addedAt = now
                    try await member.create(on: app.db)
                }
            }
            // Records with random markings, extra need-to-know groups and expiries, written directly.
            for index in 0..<60 {
                let item = SharedItem()
                item.$group.id = groups[Int.random(in: 0..<groups.count, using: &rng)]
                item.kind = .note
                item.title = "Item \(index)"
                item.summary = ""
                item.body = "text"
                item.markingLevel = scheme.levels[Int.random(in: 0..<scheme.levels.count, using: &rng)].code
                item.markingDescriptors = ""
                item.expiresAt = [nil, nil, now.addingTimeInterval(-60), now.addingTimeInterval(3600)][Int.random(in: 0..<4, using: &rng)]
                item.currentVersion = 0
                item.createdAt = now.addingTimeInterval(Double(-index))
                item.updatedAt = now
                item.version = 1
                try await item.create(on: app.db)
                for group in groups where Int.random(in: 0..<5, using: &rng) == 0 {
                    try await RecordGroup(recordType: .sharedNote, recordID: item.id!, groupID: group).create(on: app.db)
                }
            }
            let items = try await SharedItem.query(on: app.db).all()
            var granted = 0
            for user in users {
                let reader = try await Reader.load(user, scheme: scheme, at: app.clock.now(), on: app.db)
                var expected: Set<UUID> = []
                for item in items where reader.canRead(try await SharedItemService.record(for: item, on: app.db)) {
                    expected.insert(item.id!)
                }
                // Page through in small pages, so the keyset is exercised as well.
                var listed: [UUID] = []
                var cursor: Cursor?
                repeat {
                    let page = try await SharedItemService.list(reader: reader, after: cursor, limit: 7, on: app.db)
                    listed += page.items.map(\.id)
                    cursor = page.next
                } while cursor != nil
                #expect(Set(listed) == expected, "user with \(user.vettingLevel) vetting")
                #expect(listed.count == Set(listed).count, "no item twice across pages")
                #expect(try await SharedItemService.count(reader: reader, on: app.db) == expected.count)
                // Nobody reads above the vetting in force.
                for id in listed {
                    let level = scheme.level(items.first { $0.id == id }!.markingLevel)!
                    #expect(reader.vetting >= level.minimumVetting)
                }
                granted += expected.count
            }
            #expect(granted > 0, "the generated data grants some access, so the comparison means something")

            // At the instant a vetting expires the same database lists nothing that needs vetting.
            let expiring = users.first { $0.vettingExpires.map { $0 > now } == true && $0.vettingLevel >= .bpss }!
            let expiry = expiring.vettingExpires!
            let before = try await Reader.load(expiring, scheme: scheme, at: expiry.addingTimeInterval(-0.001), on: app.db)
            let at = try await Reader.load(expiring, scheme: scheme, at: expiry, on: app.db)
            let listedBefore = try await SharedItemService.list(reader: before, limit: 500, on: app.db).items
            let listedAt = try await SharedItemService.list(reader: at, limit: 500, on: app.db).items
            #expect(listedAt.allSatisfy { scheme.level($0.marking.level)!.minimumVetting == .none })
            #expect(listedBefore.count > listedAt.count, "the expiry changed what the database lists")
            #expect(granted < users.count * items.count, "and refuses some")
        }
    }
}
