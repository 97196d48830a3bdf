import Foundation

/// What the access rule needs to know about a record that holds information.
public struct MarkedRecord: Equatable, Sendable {
    public var marking: Marking
    /// Need-to-know groups: a reader must belong to every one (a shared document's space
    /// is one of them).
    public var requiredGroups: Set<UUID>
    /// Set for records that belong to one organisation, which the foundation's
    /// organisation scoping then also governs; nil for records shared across organisations.
    public var organisationID: UUID?
    /// After this instant nobody reads the record.
    public var expires: Date?

    public init(marking: Marking, requiredGroups: Set<UUID> = [], organisationID: UUID? = nil, expires: Date? = nil) {
        self.marking = marking
        self.requiredGroups = requiredGroups
        self.organisationID = organisationID
        self.expires = expires
    }
}

extension AccessRule {
    /// The one rule for reading marked information. `InspectorateApp`'s `ReadableFilter`
    /// is the same rule as SQL; a property test holds the two together.
    /// `groups` are the groups the principal belongs to; `instant` is the one clock.
    public static func canRead(
        _ record: MarkedRecord, principal: Principal, groups: Set<UUID>,
        scheme: MarkingScheme, at instant: Date
    ) -> Bool {
        if let organisationID = record.organisationID, !canView(organisation: organisationID, principal: principal) {
            return false
        }
        // A marking the scheme does not know is read by nobody rather than by everybody.
        guard let level = scheme.level(record.marking.level) else { return false }
        guard principal.vetting.effectiveLevel(at: instant) >= level.minimumVetting else { return false }
        guard record.requiredGroups.isSubset(of: groups) else { return false }
        if let expires = record.expires, instant >= expires { return false }
        return true
    }

    /// The audit trail shows who read what: administrators only.
    public static func canReadAudit(_ principal: Principal) -> Bool {
        principal.role == .administrator
    }
}
