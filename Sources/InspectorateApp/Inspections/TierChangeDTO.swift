import Fluent
import InspectorateCore
import Vapor

/// One change of an organisation's risk tier, as the API shows it.
struct TierChangeDTO: Content {
    var fromTier: String?
    var toTier: String
    var rationale: String
    var marking: String
    var changedBy: String?
    var changedAt: Date

    enum CodingKeys: String, CodingKey {
        case rationale, marking
        case fromTier = "from_tier"
        case toTier = "to_tier"
        case changedBy = "changed_by"
        case changedAt = "changed_at"
    }

    init(_ change: RiskTierChange) {
        fromTier = change.fromTier
        toTier = change.toTier
        rationale = change.rationale
        marking = change.markingValue.description
        changedBy = change.$changedBy.value??.email
        changedAt = change.changedAt
    }
}
