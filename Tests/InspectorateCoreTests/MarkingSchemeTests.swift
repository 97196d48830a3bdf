import Foundation
import PropertyBased
import Testing

@testable import InspectorateCore

@Suite("Marking schemes and the record access rule")
struct MarkingSchemeTests {
    static func shipped(_ name: String) throws -> MarkingScheme {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/InspectorateApp/Resources/Markings/\(name).yaml")
        return try MarkingScheme.read(yaml: String(contentsOf: url, encoding: .utf8))
    }

    @Test func theShippedSchemesReadAndNameTheirVetting() throws {
        let gsc = try Self.shipped("gsc")
        #expect(gsc.levels.map(\.code) == ["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"])
        #expect(gsc.level("SECRET")?.minimumVetting == .sc)
        #expect(gsc.level("OFFICIAL-SENSITIVE")?.caveatOf == "OFFICIAL")
        #expect(gsc.readableLevels(with: .none) == [])
        #expect(gsc.readableLevels(with: .ctc) == ["OFFICIAL", "OFFICIAL-SENSITIVE"])
        #expect(gsc.defaultMarking(for: .riskTierRationale) == Marking(level: "OFFICIAL-SENSITIVE"))

        let gpms = try Self.shipped("gpms-2009")
        #expect(gpms.levels.count == 6)
        #expect(gpms.readableLevels(with: .none) == ["NOT PROTECTIVELY MARKED"])
        #expect(gpms.readableLevels(with: .sc).last == "SECRET")
        #expect(gpms.level("TOP SECRET")?.minimumVetting == .dv)
    }

    @Test func aMarkingIsCheckedAgainstItsLevel() throws {
        let gpms = try Self.shipped("gpms-2009")
        #expect(
            gpms.check(Marking(level: "PROTECT")) == [
                FieldError(
                    "descriptors",
                    "PROTECT must carry a descriptor: one of PERSONAL, POLICY, COMMERCIAL, STAFF, MANAGEMENT, APPOINTMENTS, CONTRACTS, INVESTIGATION, LOCSEN"
                )
            ])
        #expect(gpms.check(Marking(level: "PROTECT", descriptors: ["PERSONAL"])) == [])
        #expect(gpms.check(Marking(level: "SECRET", descriptors: ["PERSONAL"])).map(\.message) == ["SECRET takes no descriptors"])
        #expect(gpms.check(Marking(level: "OFFICIAL")).map(\.field) == ["marking"])
        #expect(
            Marking.parse(level: " official-sensitive", descriptors: "personal; locsen")
                == Marking(level: "OFFICIAL-SENSITIVE", descriptors: ["PERSONAL", "LOCSEN"]))
    }

    @Test func aSchemeWithProblemsNamesEachPlace() {
        let yaml = """
            code: x
            title: X
            levels:
              - code: A
                minimum_vetting: sc
              - code: B
                minimum_vetting: bpss
              - code: A
                minimum_vetting: secret-squirrel
            defaults:
              shared_document: Z
              lunch: A
            """
        #expect(throws: MarkingSchemeProblem.self) { try MarkingScheme.read(yaml: yaml) }
        let problems =
            (try? MarkingScheme.read(yaml: yaml)).map { _ in [String]() }
            ?? {
                do { _ = try MarkingScheme.read(yaml: yaml); return [] } catch let p as MarkingSchemeProblem { return p.problems } catch {
                    return []
                }
            }()
        #expect(problems.contains("levels[1].minimum_vetting: a higher level cannot need less vetting than A"))
        #expect(problems.contains("levels[2].code: A appears twice"))
        #expect(problems.contains { $0.hasPrefix("levels[2].minimum_vetting: secret-squirrel is not one of") })
        #expect(problems.contains("defaults.shared_document: Z is not a level of this scheme"))
        #expect(problems.contains { $0.hasPrefix("defaults.lunch: not a kind of record") })
    }

    // MARK: The access rule

    static let groupPool = (0..<4).map { _ in UUID() }
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func principal(_ level: VettingLevel, expiresIn seconds: Double?) -> Principal {
        Principal(
            userID: UUID(), role: .partner, homeOrganisationID: UUID(),
            vetting: Vetting(level: level, granted: now.addingTimeInterval(-86_400), expires: seconds.map { now.addingTimeInterval($0) }))
    }

    @Test func noUserReadsAboveTheirVetting() async throws {
        let scheme = try Self.shipped("gsc")
        await propertyCheck(count: 300, input: Gen.int(in: 0...4), Gen.int(in: 0...3), Gen.int(in: 0...15)) {
            vettingIndex, levelIndex, groupMask in
            let vetting = VettingLevel.allCases[vettingIndex]
            let level = scheme.levels[levelIndex]
            let groups = Set(Self.groupPool.enumerated().filter { groupMask & (1 << $0.offset) != 0 }.map(\.element))
            let record = MarkedRecord(marking: Marking(level: level.code), requiredGroups: groups)
            let reader = Self.principal(vetting, expiresIn: nil)
            let allowed = AccessRule.canRead(record, principal: reader, groups: Set(Self.groupPool), scheme: scheme, at: Self.now)
            #expect(allowed == (vetting >= level.minimumVetting))
        }
    }

    @Test func addingARequiredGroupNeverGrantsAccess() async throws {
        let scheme = try Self.shipped("gpms-2009")
        await propertyCheck(count: 300, input: Gen.int(in: 0...15), Gen.int(in: 0...15), Gen.int(in: 0...3), Gen.int(in: 0...5)) {
            required, member, extra, level in
            func set(_ mask: Int) -> Set<UUID> { Set(Self.groupPool.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)) }
            let reader = Self.principal(.sc, expiresIn: nil)
            let before = MarkedRecord(marking: Marking(level: scheme.levels[level].code), requiredGroups: set(required))
            var after = before
            after.requiredGroups.insert(Self.groupPool[extra])
            let was = AccessRule.canRead(before, principal: reader, groups: set(member), scheme: scheme, at: Self.now)
            let now = AccessRule.canRead(after, principal: reader, groups: set(member), scheme: scheme, at: Self.now)
            #expect(!now || was, "a further required group granted access")
            #expect(now == (was && set(member).contains(Self.groupPool[extra])))
        }
    }

    @Test func accessEndsExactlyAtTheExpiryInstant() throws {
        let scheme = try Self.shipped("gsc")
        let record = MarkedRecord(marking: Marking(level: "SECRET"))
        let reader = Self.principal(.sc, expiresIn: 60)
        let expiry = Self.now.addingTimeInterval(60)
        #expect(AccessRule.canRead(record, principal: reader, groups: [], scheme: scheme, at: expiry.addingTimeInterval(-0.001)))
        #expect(!AccessRule.canRead(record, principal: reader, groups: [], scheme: scheme, at: expiry))
        // A record's own expiry ends everyone's access the same way.
        let expiring = MarkedRecord(marking: Marking(level: "OFFICIAL"), expires: Self.now)
        #expect(!AccessRule.canRead(expiring, principal: Self.principal(.dv, expiresIn: nil), groups: [], scheme: scheme, at: Self.now))
    }

    @Test func organisationRecordsStayWithinTheOrganisationScope() throws {
        let scheme = try Self.shipped("gsc")
        let reader = Self.principal(.dv, expiresIn: nil)
        #expect(
            AccessRule.canRead(
                MarkedRecord(marking: Marking(level: "OFFICIAL"), organisationID: reader.homeOrganisationID), principal: reader, groups: [],
                scheme: scheme, at: Self.now))
        #expect(
            !AccessRule.canRead(
                MarkedRecord(marking: Marking(level: "OFFICIAL"), organisationID: UUID()), principal: reader, groups: [], scheme: scheme,
                at: Self.now))
        #expect(
            !AccessRule.canRead(
                MarkedRecord(marking: Marking(level: "UNHEARD-OF")), principal: reader, groups: [], scheme: scheme, at: Self.now))
    }
}
