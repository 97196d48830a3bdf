import Foundation

/// Who is acting on a finding, recommendation or action, and how they stand to it. The
/// caller works the relation out from its records (it knows who wrote what and which
/// organisations are addressed); the rules here only read it.
public struct RecommendationActor: Equatable, Sendable {
    public var principal: Principal
    /// Wrote the recommendation: its author may not verify it.
    public var isAuthor: Bool
    /// The principal's home organisation is one of the recommendation's addressees (for an
    /// action: the organisation whose plan it is). Read only for organisation members and
    /// partners; staff never act for an addressee.
    public var isAddresseeMember: Bool

    public init(principal: Principal, isAuthor: Bool = false, isAddresseeMember: Bool = false) {
        self.principal = principal
        self.isAuthor = isAuthor
        self.isAddresseeMember = isAddresseeMember
    }

    public var role: Role { principal.role }
    public var userID: UUID { principal.userID }

    /// An inspector or lead inspector: the inspectorate's staff who take part in follow-up.
    public var isInspector: Bool { role == .inspector || role == .leadInspector }

    /// An organisation member or partner of an addressee, with a home organisation.
    public var actsForAddressee: Bool {
        role.requiresHomeOrganisation && isAddresseeMember && principal.homeOrganisationID != nil
    }
}

/// Who may do what with findings, recommendations, responses, action plans and monitoring
/// stages. One table, so that pages, API and command line give the same answers:
///
/// | what | who |
/// |---|---|
/// | write or edit a finding, draft a recommendation | inspectors and lead inspectors |
/// | sign off a finding | lead inspectors |
/// | change a recommendation's due date (with a reason) | lead inspectors: an addressee asks, it does not move its own date |
/// | respond (accepted / partly / not accepted) | the addressee's people (its organisation members and partners) |
/// | start, report complete with evidence | the addressee's people |
/// | verify, grading progress | inspectors and lead inspectors who did not write the recommendation |
/// | close (implemented / not implemented / superseded) | lead inspectors, and only after a verification |
/// | action plan: add, allocate, update, change a date, submit for sign-off | the addressee's people |
/// | sign off or return an action | the addressee's people other than the action's owner |
/// | move an organisation's monitoring stage | lead inspectors |
/// | read | inspectorate staff (administrators, inspectors, lead inspectors, analysts): everything; the addressee's people: their own, once published to them |
///
/// Analysts read and analyse but change nothing here; administrators keep the reference
/// data (organisations, national bodies included) and the configuration (response
/// period, reminder offsets) but take no part in the workflow, so that no one account can
/// both write and pass judgement. Markings and need-to-know apply on top of this table,
/// as for narratives.
public enum RecommendationRules {
    /// Role names as a refusal says them.
    static let inspectorsText = "inspectors and lead inspectors"
    static let addresseeText = "organisation members and partners of an addressee"

    public static func canWriteFindings(_ principal: Principal) -> Bool {
        principal.role == .inspector || principal.role == .leadInspector
    }

    public static func canSignOffFindings(_ principal: Principal) -> Bool {
        principal.role == .leadInspector
    }

    public static func canDraftRecommendations(_ principal: Principal) -> Bool {
        canWriteFindings(principal)
    }

    public static func canChangeDueDate(_ principal: Principal) -> Bool {
        principal.role == .leadInspector
    }

    public static func canRespond(_ actor: RecommendationActor) -> Bool {
        actor.actsForAddressee
    }

    public static func canMoveMonitoringStage(_ principal: Principal) -> Bool {
        principal.role == .leadInspector
    }

    /// Inspectorate staff read everything; the addressee's people read their own once the
    /// recommendation (or finding) has been published to them; anyone else nothing.
    public static func canView(_ actor: RecommendationActor, published: Bool) -> Bool {
        switch actor.role {
        case .administrator, .inspector, .leadInspector, .analyst: true
        case .organisationMember, .partner: actor.actsForAddressee && published
        }
    }

    /// Throws `.forbidden`, naming who may, unless `principal` may change a due date.
    public static func checkCanChangeDueDate(_ principal: Principal) throws(DomainError) {
        guard canChangeDueDate(principal) else {
            throw .forbidden(
                reason: "A recommendation's due date is changed by a lead inspector; an addressee asks for a change, with the reason",
                field: "due")
        }
    }

    /// Throws `.forbidden`, naming who may, unless the actor may respond for an addressee.
    public static func checkCanRespond(_ actor: RecommendationActor) throws(DomainError) {
        guard canRespond(actor) else {
            throw .forbidden(reason: "Responses are recorded by \(addresseeText)")
        }
    }

    /// Throws `.forbidden`, naming who may, unless `principal` may move a monitoring stage.
    public static func checkCanMoveMonitoringStage(_ principal: Principal) throws(DomainError) {
        guard canMoveMonitoringStage(principal) else {
            throw .forbidden(reason: "Monitoring stages are moved by lead inspectors", field: "stage")
        }
    }
}

extension String {
    /// Text with something in it once spaces and line ends are set aside.
    var hasText: Bool { !trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
}
