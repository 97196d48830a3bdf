import Foundation
import InspectorateCore

/// Every route of the JSON API, under `/api/v1`. Registered from these cases; the
/// OpenAPI document describes exactly these (a test holds the two together).
enum APIURL: RoutePath {
    case openAPIDocument
    case tokens
    case token(_ id: Parameter<UUID>)
    case me
    case myWork

    case organisations
    case organisation(_ code: Parameter<String>)
    case users
    case user(_ id: Parameter<UUID>)

    case frameworks
    case frameworkValidation
    case frameworkDiff
    case framework(_ code: Parameter<String>, _ version: Parameter<String>)
    case frameworkExport(_ code: Parameter<String>, _ version: Parameter<String>)

    case cycles
    case cycle(_ cycle: Parameter<String>)
    case picture(_ cycle: Parameter<String>)
    case cycleExport(_ cycle: Parameter<String>)
    case judgementImport(_ cycle: Parameter<String>)
    case carryForward(_ cycle: Parameter<String>)
    case cycleTransitions(_ cycle: Parameter<String>)
    case cycleStatus(_ cycle: Parameter<String>)
    case cycleDeadlines(_ cycle: Parameter<String>)
    case scorecard(_ cycle: Parameter<String>, _ organisation: Parameter<String>)
    case riskTier(_ cycle: Parameter<String>, _ organisation: Parameter<String>)
    case riskTierHistory(_ cycle: Parameter<String>, _ organisation: Parameter<String>)
    case assessment(_ cycle: Parameter<String>, _ organisation: Parameter<String>, _ kind: Parameter<AssessmentKind>)
    case judgement(
        _ cycle: Parameter<String>, _ organisation: Parameter<String>, _ kind: Parameter<AssessmentKind>, _ criterion: Parameter<String>)
    case assessmentTransitions(_ cycle: Parameter<String>, _ organisation: Parameter<String>, _ kind: Parameter<AssessmentKind>)
    case assessmentHistory(_ cycle: Parameter<String>, _ organisation: Parameter<String>, _ kind: Parameter<AssessmentKind>)
    case assessmentEvidence(_ cycle: Parameter<String>, _ organisation: Parameter<String>, _ kind: Parameter<AssessmentKind>)
    case narrativeMarking(_ cycle: Parameter<String>, _ organisation: Parameter<String>, _ kind: Parameter<AssessmentKind>)
    case evidenceUpload(
        _ cycle: Parameter<String>, _ organisation: Parameter<String>, _ kind: Parameter<AssessmentKind>, _ criterion: Parameter<String>)
    case evidenceContent(_ id: Parameter<UUID>)

    case markings
    case groups
    case group(_ id: Parameter<UUID>)
    case groupMembers(_ id: Parameter<UUID>)
    case groupMember(_ group: Parameter<UUID>, _ user: Parameter<UUID>)
    case groupItems(_ id: Parameter<UUID>)
    case sharedItems
    case sharedItem(_ id: Parameter<UUID>)
    case sharedItemVersions(_ id: Parameter<UUID>)
    case sharedItemVersionContent(_ id: Parameter<UUID>, _ number: Parameter<Int>)
    case sharedItemMarking(_ id: Parameter<UUID>)

    case audit
    case auditCheckpoint

    /// The segments every API path starts with.
    static let prefix: [String] = ["api", "v1"]

    /// Whether a request path is the API's: errors there are answered in JSON.
    static func contains(path: String) -> Bool {
        path.hasPrefix("/" + prefix.joined(separator: "/") + "/") || path == "/" + prefix.joined(separator: "/")
    }

    var parts: [PathPart] {
        Self.prefix.map(PathPart.fixed) + relativeParts
    }

    private var relativeParts: [PathPart] {
        switch self {
        case .openAPIDocument: ["openapi.json"]
        case .tokens: ["tokens"]
        case .token(let id): ["tokens", param("id", id)]
        case .me: ["me"]
        case .myWork: ["me", "work"]

        case .organisations: ["organisations"]
        case .organisation(let code): ["organisations", param("code", code)]
        case .users: ["users"]
        case .user(let id): ["users", param("id", id)]

        case .frameworks: ["frameworks"]
        case .frameworkValidation: ["frameworks", "validate"]
        case .frameworkDiff: ["frameworks", "diff"]
        case .framework(let code, let version): ["frameworks", param("code", code), param("version", version)]
        case .frameworkExport(let code, let version): ["frameworks", param("code", code), param("version", version), "export"]

        case .cycles: ["cycles"]
        case .cycle(let cycle): ["cycles", param("cycle", cycle)]
        case .picture(let cycle): ["cycles", param("cycle", cycle), "picture"]
        case .cycleExport(let cycle): ["cycles", param("cycle", cycle), "export"]
        case .judgementImport(let cycle): ["cycles", param("cycle", cycle), "judgements"]
        case .carryForward(let cycle): ["cycles", param("cycle", cycle), "carry-forward"]
        case .cycleTransitions(let cycle): ["cycles", param("cycle", cycle), "transitions"]
        case .cycleStatus(let cycle): ["cycles", param("cycle", cycle), "status"]
        case .cycleDeadlines(let cycle): ["cycles", param("cycle", cycle), "deadlines"]
        case .scorecard(let cycle, let organisation): cycleMember(cycle, organisation)
        case .riskTier(let cycle, let organisation): cycleMember(cycle, organisation) + ["tier"]
        case .riskTierHistory(let cycle, let organisation): cycleMember(cycle, organisation) + ["tier", "history"]
        case .assessment(let cycle, let organisation, let kind): cycleAssessment(cycle, organisation, kind)
        case .judgement(let cycle, let organisation, let kind, let criterion):
            cycleAssessment(cycle, organisation, kind) + ["judgements", param("criterion", criterion)]
        case .assessmentTransitions(let cycle, let organisation, let kind):
            cycleAssessment(cycle, organisation, kind) + ["transitions"]
        case .assessmentHistory(let cycle, let organisation, let kind): cycleAssessment(cycle, organisation, kind) + ["history"]
        case .assessmentEvidence(let cycle, let organisation, let kind): cycleAssessment(cycle, organisation, kind) + ["evidence"]
        case .narrativeMarking(let cycle, let organisation, let kind): cycleAssessment(cycle, organisation, kind) + ["marking"]
        case .evidenceUpload(let cycle, let organisation, let kind, let criterion):
            cycleAssessment(cycle, organisation, kind) + ["judgements", param("criterion", criterion), "evidence"]
        case .evidenceContent(let id): ["evidence", param("evidence", id), "content"]

        case .markings: ["markings"]
        case .groups: ["groups"]
        case .group(let id): ["groups", param("group", id)]
        case .groupMembers(let id): ["groups", param("group", id), "members"]
        case .groupMember(let group, let user): ["groups", param("group", group), "members", param("user", user)]
        case .groupItems(let id): ["groups", param("group", id), "items"]
        case .sharedItems: ["shared-items"]
        case .sharedItem(let id): ["shared-items", param("item", id)]
        case .sharedItemVersions(let id): ["shared-items", param("item", id), "versions"]
        case .sharedItemVersionContent(let id, let number):
            ["shared-items", param("item", id), "versions", param("number", number), "content"]
        case .sharedItemMarking(let id): ["shared-items", param("item", id), "marking"]

        case .audit: ["audit"]
        case .auditCheckpoint: ["audit", "checkpoint"]
        }
    }

    static let all: [APIURL] = [
        .openAPIDocument, .tokens, .token(.key), .me, .myWork,
        .organisations, .organisation(.key), .users, .user(.key),
        .frameworks, .frameworkValidation, .frameworkDiff, .framework(.key, .key), .frameworkExport(.key, .key),
        .cycles, .cycle(.key), .picture(.key), .cycleExport(.key), .judgementImport(.key), .carryForward(.key), .cycleTransitions(.key),
        .cycleStatus(.key), .cycleDeadlines(.key),
        .scorecard(.key, .key), .riskTier(.key, .key), .riskTierHistory(.key, .key), .assessment(.key, .key, .key),
        .judgement(.key, .key, .key, .key),
        .assessmentTransitions(.key, .key, .key), .assessmentHistory(.key, .key, .key), .assessmentEvidence(.key, .key, .key),
        .narrativeMarking(.key, .key, .key), .evidenceUpload(.key, .key, .key, .key), .evidenceContent(.key),
        .markings, .groups, .group(.key), .groupMembers(.key), .groupMember(.key, .key), .groupItems(.key),
        .sharedItems, .sharedItem(.key), .sharedItemVersions(.key), .sharedItemVersionContent(.key, .key), .sharedItemMarking(.key),
        .audit, .auditCheckpoint,
    ]
}
