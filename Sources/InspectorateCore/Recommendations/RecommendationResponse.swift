import Foundation

/// An addressee's answer to a recommendation. Stored by raw value; never rename.
public enum ResponseDecision: String, CaseIterable, Codable, Sendable {
    case accepted
    case partlyAccepted = "partly_accepted"
    case notAccepted = "not_accepted"

    public var displayName: String {
        switch self {
        case .accepted: "Accepted"
        case .partlyAccepted: "Partly accepted"
        case .notAccepted: "Not accepted"
        }
    }

    /// A partial or refused acceptance says why.
    public var needsReasons: Bool { self != .accepted }
}

/// How long an addressee has to respond, in days from publication. The default is 56: a
/// police and crime commissioner must publish, within 56 days of a report, what will be
/// done about each recommendation, or why nothing (DOMAIN.md, Recommendations and
/// follow-up). A deployment may configure another period.
public struct ResponsePeriod: Equatable, Sendable, Codable {
    public static let standard = ResponsePeriod(checkedDays: 56)
    public static let allowedDays = 1...366

    public let days: Int

    /// - Throws: `FieldError` on `response_period_days` outside 1…366.
    public init(days: Int) throws {
        guard Self.allowedDays.contains(days) else {
            throw FieldError("response_period_days", "The response period is a whole number of days from 1 to 366")
        }
        self.days = days
    }

    private init(checkedDays: Int) { days = checkedDays }

    /// The last day for a response: `days` after the day of publication (24 June 2009 + 56
    /// days is 19 August 2009). A response on that day is on time.
    public func responseDue(publishedOn: CivilDate) -> CivilDate {
        publishedOn.adding(days: days)
    }
}

/// One addressee's response, as recorded.
public struct RecommendationResponse: Equatable, Sendable {
    /// Organisation code of the addressee responding.
    public var addressee: String
    public var decision: ResponseDecision
    /// Why only partly, or not, accepted; nil when accepted without comment.
    public var reasons: String?
    public var by: UUID
    public var at: Date

    public init(addressee: String, decision: ResponseDecision, reasons: String?, by: UUID, at: Date) {
        self.addressee = addressee
        self.decision = decision
        self.reasons = reasons
        self.by = by
        self.at = at
    }

    /// Whether it came after the response due date, judged on the day it was given in
    /// `zone` (the deployment's, Europe/London): a response at 00:30 BST on the due date
    /// is on time though it is still the day before in UTC.
    public func isLate(responseDue: CivilDate, in zone: TimeZone) -> Bool {
        CivilDate(containing: at, in: zone) > responseDue
    }
}

/// Recording responses.
public enum ResponseRules {
    /// Checks and records a response by `actor` for `addressee`.
    /// - Parameters:
    ///   - addressee: the organisation code the actor responds for (the caller has checked
    ///     it is the actor's home organisation: `actor.isAddresseeMember`).
    ///   - addressees: the recommendation's addressees.
    ///   - publishedOn: nil while the recommendation is unpublished.
    ///   - existing: responses already recorded; one per addressee.
    /// - Throws: `DomainError.forbidden` unless the addressee's own people respond;
    ///   `.refused` before publication, for an organisation not addressed, or a second
    ///   response; `.refused` on `reasons` when a partial or refusal gives none.
    public static func record(
        _ decision: ResponseDecision, reasons: String?, addressee: String, actor: RecommendationActor, at: Date,
        addressees: [String], publishedOn: CivilDate?, existing: [RecommendationResponse]
    ) throws(DomainError) -> RecommendationResponse {
        try RecommendationRules.checkCanRespond(actor)
        guard publishedOn != nil else {
            throw .refused(field: nil, message: "This recommendation is not yet published", needed: ["publication to the addressees"])
        }
        guard addressees.contains(addressee) else {
            throw .refused(
                field: "addressee", message: "\(addressee) is not an addressee of this recommendation",
                needed: ["one of: \(addressees.joined(separator: ", "))"])
        }
        if let earlier = existing.first(where: { $0.addressee == addressee }) {
            throw .refused(
                field: nil, message: "\(addressee) has already responded (\(earlier.decision.displayName.lowercased()))",
                needed: ["no earlier response from \(addressee)"])
        }
        let text = reasons?.trimmingCharacters(in: .whitespacesAndNewlines)
        if decision.needsReasons && !(text ?? "").hasText {
            throw .refused(
                field: "reasons", message: "\(decision.displayName) needs the reasons", needed: ["the reasons for the decision"])
        }
        return RecommendationResponse(
            addressee: addressee, decision: decision, reasons: (text ?? "").isEmpty ? nil : text, by: actor.userID, at: at)
    }

    /// The addressees yet to respond, in the order they are addressed: what the response
    /// reminders go to.
    public static func awaiting(addressees: [String], responses: [RecommendationResponse]) -> [String] {
        let responded = Set(responses.map(\.addressee))
        return addressees.filter { !responded.contains($0) }
    }
}
