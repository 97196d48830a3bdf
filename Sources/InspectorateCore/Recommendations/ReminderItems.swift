import Foundation

/// The reminder items of recommendations, responses and actions, so that what counts as
/// outstanding is decided here once: the job, *My work* and the command line agree.
extension ReminderItem {
    /// A recommendation's due date, to its addressees, while the addressee still has work to
    /// do (open or in progress, as `RecommendationStatus.isOverdue` counts it); nil otherwise.
    public static func recommendation(_ recommendation: Recommendation, status: RecommendationStatus) -> ReminderItem? {
        guard status == .open || status == .inProgress else { return nil }
        return ReminderItem(
            subject: .recommendation, item: recommendation.reference.description, due: recommendation.due.current,
            recipients: recommendation.addressees.map { .organisation($0) })
    }

    /// The end of the response period, one item per addressee yet to respond (item
    /// `reference addressee`), to that addressee; none before publication.
    public static func responses(
        _ recommendation: Recommendation, responses: [RecommendationResponse], period: ResponsePeriod
    ) -> [ReminderItem] {
        guard let published = recommendation.publishedOn else { return [] }
        let due = period.responseDue(publishedOn: published)
        return ResponseRules.awaiting(addressees: recommendation.addressees, responses: responses).map { addressee in
            ReminderItem(
                subject: .response, item: "\(recommendation.reference) \(addressee)", due: due, recipients: [.organisation(addressee)])
        }
    }

    /// An action's due date, to its owner (to its organisation while unallocated), until it
    /// is submitted for sign-off; nil after.
    public static func action(_ action: PlanAction) -> ReminderItem? {
        guard action.status == .awaitingAllocation || action.status == .inProgress else { return nil }
        return ReminderItem(
            subject: .action, item: action.id.uuidString.lowercased(), due: action.due.current,
            recipients: [action.owner.map { .user($0) } ?? .organisation(action.organisation)])
    }
}

extension ImportedRecommendation {
    /// The row as a `Recommendation`: its due date set at `importedAt` by nobody, noted as
    /// imported, with `marking`. The status, verification and reasons are the caller's to
    /// record beside it as the tracker's history.
    public func recommendation(marking: Marking, importedAt: Date) -> Recommendation {
        Recommendation(
            reference: reference, text: text, addressees: addressees, priority: priority,
            due: DueDateHistory(due, setAt: importedAt, setBy: nil, note: "Imported from a spreadsheet tracker (line \(line))"),
            criteria: criteria, dependsOnAnotherBody: dependsOnAnotherBody, finding: nil, author: nil, publishedOn: publishedOn,
            marking: marking)
    }
}
