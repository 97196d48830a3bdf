import Fluent
import InspectorateCore
import Vapor

/// One change of an organisation's risk tier, as the API shows it.
struct TierChangeDTO: Content {
    var fromTier: String?
    var toTier: String
    /// Absent when the reader's vetting or groups do not cover its marking.
    var rationale: String?
    var rationaleWithheld: Bool
    var marking: String
    var changedBy: String?
    var changedAt: Date

    enum CodingKeys: String, CodingKey {
        case rationale, marking
        case fromTier = "from_tier"
        case toTier = "to_tier"
        case changedBy = "changed_by"
        case changedAt = "changed_at"
        case rationaleWithheld = "rationale_withheld"
    }

    init(_ change: RiskTierChange, rationaleReadable: Bool = true) {
        fromTier = change.fromTier
        toTier = change.toTier
        rationale = rationaleReadable ? change.rationale : nil
        rationaleWithheld = !rationaleReadable
        marking = change.markingValue.description
        changedBy = change.$changedBy.value??.email
        changedAt = change.changedAt
    }
}
