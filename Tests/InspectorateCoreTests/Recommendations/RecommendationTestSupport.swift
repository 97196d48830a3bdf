import Foundation
import Testing

@testable import InspectorateCore

/// Every suite of the recommendations core, so that `swift test --filter Recommendations`
/// runs them all.
@Suite("Recommendations")
enum Recommendations {}

/// People, days and instants the recommendation tests share.
enum Fixture {
    static let kentID = UUID(uuidString: "00000000-0000-0000-0000-00000000000a") ?? UUID()
    static let essexID = UUID(uuidString: "00000000-0000-0000-0000-00000000000b") ?? UUID()

    static func principal(_ role: Role, home: UUID? = nil, id: UUID = UUID()) -> Principal {
        Principal(
            userID: id, role: role, homeOrganisationID: home ?? (role.requiresHomeOrganisation ? kentID : nil),
            vetting: Vetting(level: .none, granted: nil, expires: nil))
    }

    static func actor(_ role: Role, author: Bool = false, member: Bool = false, id: UUID = UUID()) -> RecommendationActor {
        RecommendationActor(principal: principal(role, id: id), isAuthor: author, isAddresseeMember: member)
    }

    /// Someone of the addressee (Kent).
    static let member = actor(.organisationMember, member: true)
    static let author = actor(.inspector, author: true)
    static let verifier = actor(.inspector)
    static let lead = actor(.leadInspector)

    static func date(_ text: String) -> CivilDate {
        do { return try CivilDate.parse(text) } catch {
            Issue.record("bad date in a test: \(text)")
            return CivilDate(containing: Date(timeIntervalSince1970: 0), in: .utc)
        }
    }

    /// An instant written with its zone, e.g. `2025-03-30T08:00:00Z`.
    static func instant(_ text: String) -> Date {
        do { return try Instant.parse(text, field: "at") } catch {
            Issue.record("bad instant in a test: \(text)")
            return Date(timeIntervalSince1970: 0)
        }
    }

    static func reference(_ text: String) -> RecommendationReference {
        do { return try RecommendationReference.parse(text) } catch {
            Issue.record("bad reference in a test: \(text)")
            return Prevent2009.recommendations[0].reference
        }
    }

    static let start = instant("2027-01-04T10:00:00Z")

    /// `hours` after `start`.
    static func at(_ hours: Double) -> Date { start.addingTimeInterval(hours * 3600) }
}

extension DomainError {
    /// The refusal's `needed`, or nil when it is not a refusal.
    var needed: [String]? {
        if case .refused(_, _, let needed) = self { return needed }
        return nil
    }

    var field: String? {
        switch self {
        case .refused(let field, _, _): field
        case .forbidden(_, let field): field
        default: nil
        }
    }

    var isForbidden: Bool {
        if case .forbidden = self { return true }
        return false
    }
}
