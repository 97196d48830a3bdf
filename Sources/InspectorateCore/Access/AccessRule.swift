import Foundation

/// Which organisations' information a principal may see. Routes, API, exports and
/// counts all filter through this, so the answer is decided in one place.
public enum OrganisationScope: Equatable, Sendable {
    case all
    case only(UUID)
    case nothing

    public func includes(_ organisationID: UUID) -> Bool {
        switch self {
        case .all: true
        case .only(let id): id == organisationID
        case .nothing: false
        }
    }
}

/// The single access rule of the foundation: role and organisation scoping.
/// Markings and vetting join it in the information-sharing work.
public enum AccessRule {
    public static func organisationScope(for principal: Principal) -> OrganisationScope {
        switch principal.role {
        case .administrator, .inspector, .leadInspector, .analyst:
            return .all
        case .organisationMember, .partner:
            guard let home = principal.homeOrganisationID else { return .nothing }
            return .only(home)
        }
    }

    public static func canView(organisation id: UUID, principal: Principal) -> Bool {
        organisationScope(for: principal).includes(id)
    }

    /// Users, roles and vetting are administered centrally.
    public static func canManageUsers(_ principal: Principal) -> Bool {
        principal.role == .administrator
    }

    /// Reference data: the organisations and their figures, bulk imports.
    public static func canManageReferenceData(_ principal: Principal) -> Bool {
        principal.role == .administrator
    }

    /// Partner bodies are registered by administrators and by the inspectorate's own staff,
    /// who meet them in fieldwork.
    public static func canRegisterPartners(_ principal: Principal) -> Bool {
        switch principal.role {
        case .administrator, .inspector, .leadInspector: true
        case .organisationMember, .partner, .analyst: false
        }
    }
}

extension AccessRule {
    /// Police forces and agencies are reference data; partner bodies are also kept up to
    /// date by the inspectorate staff who register them.
    public static func canEdit(organisationOfKind kind: OrganisationKind, principal: Principal) -> Bool {
        if canManageReferenceData(principal) { return true }
        return kind == .partnerBody && canRegisterPartners(principal)
    }
}

extension AccessRule {
    /// Inspection cycles are set up by administrators and lead inspectors.
    public static func canCreateCycles(_ principal: Principal) -> Bool {
        principal.role == .administrator || principal.role == .leadInspector
    }

    /// Risk tiers are assessments by accountable analysts or lead inspectors.
    public static func canSetRiskTier(_ principal: Principal) -> Bool {
        principal.role == .analyst || principal.role == .leadInspector
    }

    /// A tier's rationale is marked information: the inspectorate's own staff read it.
    public static func canReadTierRationale(_ principal: Principal) -> Bool {
        switch principal.role {
        case .administrator, .inspector, .leadInspector, .analyst: true
        case .organisationMember, .partner: false
        }
    }

    /// Staff see every assessment; an organisation sees its own self-assessment, and the
    /// inspectors' judgement of it once final.
    public static func canView(
        assessment kind: AssessmentKind, status: AssessmentStatus, organisationID: UUID, principal: Principal
    ) -> Bool {
        guard canView(organisation: organisationID, principal: principal) else { return false }
        switch principal.role {
        case .administrator, .inspector, .leadInspector, .analyst: return true
        case .organisationMember, .partner: return kind == .selfAssessment || status == .final
        }
    }
}

extension AccessRule {
    /// Inspectors and lead inspectors grade inspections, including in bulk.
    public static func canGrade(_ principal: Principal) -> Bool {
        principal.role == .inspector || principal.role == .leadInspector
    }
}

extension AccessRule {
    /// The account fields that say what a person may do: who they are to the access rule.
    public static let authorityFields: Set<String> = ["role", "organisation", "vetting", "active"]

    /// Nobody changes their own role, organisation, vetting or whether their account is
    /// active, whatever their role: an administrator who could grant themselves DV vetting
    /// could read anything. `actor` is nil for the operator at the command line.
    /// - Returns: the refusal naming the first such field, or nil.
    public static func ownAccountRefusal(actor: UUID?, target: UUID, changing fields: Set<String>) -> DomainError? {
        guard let actor, actor == target, let field = fields.intersection(authorityFields).sorted().first else { return nil }
        return .forbidden(
            reason: "Nobody changes their own role, organisation, vetting or account status: ask another administrator",
            field: field == "vetting" ? "vetting_level" : field)
    }
}
