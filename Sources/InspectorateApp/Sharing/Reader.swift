import Fluent
import InspectorateCore
import SQLKit
import Vapor

/// Everything an access decision about marked records needs, gathered once per request
/// at one instant: the same instant for the pure rule and for the database filter.
struct Reader: Sendable {
    var user: User
    var principal: Principal
    var groups: Set<UUID>
    var scheme: MarkingScheme
    var now: Date

    static func load(_ user: User, scheme: MarkingScheme, at now: Date, on db: any Database) async throws -> Reader {
        let memberships = try await GroupMember.query(on: db).filter(\.$user.$id == user.requireID()).all()
        return Reader(user: user, principal: try user.principal, groups: Set(memberships.map { $0.$group.id }), scheme: scheme, now: now)
    }

    var vetting: VettingLevel { principal.vetting.effectiveLevel(at: now) }

    func canRead(_ record: MarkedRecord) -> Bool {
        AccessRule.canRead(record, principal: principal, groups: groups, scheme: scheme, at: now)
    }

    /// A marking someone chose, checked against the scheme and their own vetting: nobody
    /// marks what they could not then read. Nil (with the problems added) when wrong.
    func checkMarking(_ level: String?, descriptors: String?, errors: inout ValidationErrors) -> Marking? {
        guard let level, !level.trimmingCharacters(in: .whitespaces).isEmpty else {
            errors.add("marking", "Choose a security marking: one of \(scheme.levels.map(\.code).joined(separator: ", "))")
            return nil
        }
        let marking = Marking.parse(level: level, descriptors: descriptors)
        let problems = scheme.check(marking)
        for problem in problems { errors.add(problem.field, problem.message) }
        if problems.isEmpty, let required = scheme.level(marking.level)?.minimumVetting, vetting < required {
            errors.add(
                "marking",
                "\(marking.level) needs \(required.rawValue.uppercased()) vetting; your vetting in force is \(vetting.rawValue.uppercased())"
            )
        }
        return problems.isEmpty ? marking : nil
    }
}

extension Request {
    func reader() async throws -> Reader {
        try await Reader.load(currentUser, scheme: markingScheme, at: now, on: db)
    }
}

/// `AccessRule.canRead` as SQL, for lists, searches, counts and exports of shared items.
/// Membership is looked up by subquery, so the reader's groups are read by the database in
/// the same statement, and the vetting that counts is the one in force at `reader.now`.
enum ReadableFilter {
    static func sharedItems(_ reader: Reader, alias: String = "i") -> SQLQueryString {
        let levels = reader.scheme.readableLevels(with: reader.vetting)
        let userID = reader.principal.userID
        let levelTest: SQLQueryString = levels.isEmpty ? "1 = 0" : "\(ident: alias).marking_level IN (\(binds: levels))"
        return """
            \(levelTest)
            AND (\(ident: alias).expires_at IS NULL OR \(ident: alias).expires_at > \(bind: reader.now))
            AND EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = \(ident: alias).group_id AND m.user_id = \(bind: userID))
            AND NOT EXISTS (
                SELECT 1 FROM record_groups rg
                WHERE rg.record_id = \(ident: alias).id
                  AND NOT EXISTS (SELECT 1 FROM group_members m2 WHERE m2.group_id = rg.group_id AND m2.user_id = \(bind: userID)))
            """
    }
}
