import Foundation
import InspectorateCore

/// Every page, form action and file the site serves. Routes are registered from these
/// cases and every link, redirect and form action is made from them.
enum SiteURL: RoutePath {
    case home
    case signIn
    case signOut
    case stylesheet

    case organisations
    case organisationNew
    case organisation(_ code: Parameter<String>)
    case organisationEdit(_ code: Parameter<String>)

    case users
    case userNew
    case userEdit(_ id: Parameter<UUID>)
    case userResetPassword(_ id: Parameter<UUID>)

    case account
    case accountPassword
    case accountTokens
    case accountTokenRevoke(_ id: Parameter<UUID>)

    case frameworks
    case frameworkUpload
    case frameworkDiff
    case framework(_ code: Parameter<String>, _ version: Parameter<String>)

    case cycles
    case cycleNew
    case cycle(_ cycle: Parameter<String>)
    case cycleExport(_ cycle: Parameter<String>)
    case cycleCarryForward(_ cycle: Parameter<String>)
    case cycleWorkflow(_ cycle: Parameter<String>)
    case cycleStatus(_ cycle: Parameter<String>)
    case cycleDeadlines(_ cycle: Parameter<String>)
    case scorecard(_ cycle: Parameter<String>, _ organisation: Parameter<String>)
    case riskTier(_ cycle: Parameter<String>, _ organisation: Parameter<String>)
    case assessment(_ cycle: Parameter<String>, _ organisation: Parameter<String>, _ kind: Parameter<AssessmentKind>)
    case judgement(
        _ cycle: Parameter<String>, _ organisation: Parameter<String>, _ kind: Parameter<AssessmentKind>, _ criterion: Parameter<String>)
    case assessmentTransitions(_ cycle: Parameter<String>, _ organisation: Parameter<String>, _ kind: Parameter<AssessmentKind>)
    case narrativeMarking(_ cycle: Parameter<String>, _ organisation: Parameter<String>, _ kind: Parameter<AssessmentKind>)
    case evidenceUpload(_ cycle: Parameter<String>, _ organisation: Parameter<String>, _ kind: Parameter<AssessmentKind>)
    case evidence(_ id: Parameter<UUID>)

    case vettingGuidance
    case sharing
    case groups
    case group(_ id: Parameter<UUID>)
    case groupMembers(_ id: Parameter<UUID>)
    case groupMemberRemove(_ group: Parameter<UUID>, _ user: Parameter<UUID>)
    case groupItems(_ id: Parameter<UUID>)
    case sharedItem(_ id: Parameter<UUID>)
    case sharedItemVersions(_ id: Parameter<UUID>)
    case sharedItemVersion(_ id: Parameter<UUID>, _ number: Parameter<Int>)
    case sharedItemMarking(_ id: Parameter<UUID>)

    case audit
    case auditCSV

    case health
    case ready
    case metrics

    var parts: [PathPart] {
        switch self {
        case .home: []
        case .signIn: ["sign-in"]
        case .signOut: ["sign-out"]
        case .stylesheet: ["css", "inspectorate.css"]

        case .organisations: ["organisations"]
        case .organisationNew: ["organisations", "new"]
        case .organisation(let code): ["organisations", param("code", code)]
        case .organisationEdit(let code): ["organisations", param("code", code), "edit"]

        case .users: ["users"]
        case .userNew: ["users", "new"]
        case .userEdit(let id): ["users", param("id", id), "edit"]
        case .userResetPassword(let id): ["users", param("id", id), "reset-password"]

        case .account: ["account"]
        case .accountPassword: ["account", "password"]
        case .accountTokens: ["account", "tokens"]
        case .accountTokenRevoke(let id): ["account", "tokens", param("id", id), "revoke"]

        case .frameworks: ["frameworks"]
        case .frameworkUpload: ["frameworks", "upload"]
        case .frameworkDiff: ["frameworks", "diff"]
        case .framework(let code, let version): ["frameworks", param("code", code), param("version", version)]

        case .cycles: ["cycles"]
        case .cycleNew: ["cycles", "new"]
        case .cycle(let cycle): ["cycles", param("cycle", cycle)]
        case .cycleExport(let cycle): ["cycles", param("cycle", cycle), "export.csv"]
        case .cycleCarryForward(let cycle): ["cycles", param("cycle", cycle), "carry-forward"]
        case .cycleWorkflow(let cycle): ["cycles", param("cycle", cycle), "workflow"]
        case .cycleStatus(let cycle): ["cycles", param("cycle", cycle), "status"]
        case .cycleDeadlines(let cycle): ["cycles", param("cycle", cycle), "deadlines"]
        case .scorecard(let cycle, let organisation): cycleMember(cycle, organisation)
        case .riskTier(let cycle, let organisation): cycleMember(cycle, organisation) + ["tier"]
        case .assessment(let cycle, let organisation, let kind): cycleAssessment(cycle, organisation, kind)
        case .judgement(let cycle, let organisation, let kind, let criterion):
            cycleAssessment(cycle, organisation, kind) + ["judgements", param("criterion", criterion)]
        case .assessmentTransitions(let cycle, let organisation, let kind):
            cycleAssessment(cycle, organisation, kind) + ["transitions"]
        case .narrativeMarking(let cycle, let organisation, let kind): cycleAssessment(cycle, organisation, kind) + ["marking"]
        case .evidenceUpload(let cycle, let organisation, let kind): cycleAssessment(cycle, organisation, kind) + ["evidence"]
        case .evidence(let id): ["evidence", param("evidence", id)]

        case .vettingGuidance: ["guidance", "vetting"]
        case .sharing: ["sharing"]
        case .groups: ["sharing", "groups"]
        case .group(let id): ["sharing", "groups", param("group", id)]
        case .groupMembers(let id): ["sharing", "groups", param("group", id), "members"]
        case .groupMemberRemove(let group, let user):
            ["sharing", "groups", param("group", group), "members", param("user", user), "remove"]
        case .groupItems(let id): ["sharing", "groups", param("group", id), "items"]
        case .sharedItem(let id): ["sharing", "items", param("item", id)]
        case .sharedItemVersions(let id): ["sharing", "items", param("item", id), "versions"]
        case .sharedItemVersion(let id, let number): ["sharing", "items", param("item", id), "versions", param("number", number)]
        case .sharedItemMarking(let id): ["sharing", "items", param("item", id), "marking"]

        case .audit: ["audit"]
        case .auditCSV: ["audit.csv"]

        case .health: ["healthz"]
        case .ready: ["readyz"]
        case .metrics: ["metrics"]
        }
    }

    static let all: [SiteURL] = [
        .home, .signIn, .signOut, .stylesheet,
        .organisations, .organisationNew, .organisation(.key), .organisationEdit(.key),
        .users, .userNew, .userEdit(.key), .userResetPassword(.key),
        .account, .accountPassword, .accountTokens, .accountTokenRevoke(.key),
        .frameworks, .frameworkUpload, .frameworkDiff, .framework(.key, .key),
        .cycles, .cycleNew, .cycle(.key), .cycleExport(.key), .cycleCarryForward(.key), .cycleWorkflow(.key), .cycleStatus(.key),
        .cycleDeadlines(.key), .scorecard(.key, .key), .riskTier(.key, .key),
        .assessment(.key, .key, .key), .judgement(.key, .key, .key, .key), .assessmentTransitions(.key, .key, .key),
        .narrativeMarking(.key, .key, .key), .evidenceUpload(.key, .key, .key), .evidence(.key),
        .vettingGuidance, .sharing, .groups, .group(.key), .groupMembers(.key), .groupMemberRemove(.key, .key), .groupItems(.key),
        .sharedItem(.key), .sharedItemVersions(.key), .sharedItemVersion(.key, .key), .sharedItemMarking(.key),
        .audit, .auditCSV,
        .health, .ready, .metrics,
    ]
}
