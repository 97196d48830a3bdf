import Foundation
import InspectorateCore
import Vapor

/// Dates and times as pages show them: in the deployment's time zone, with the zone named
/// on every time, so nobody has to guess whether 16:00 is BST or GMT.
struct DisplayFormat: Sendable {
    let zone: TimeZone

    /// `24 Jun 2009, 16:00 BST`.
    func instant(_ date: Date) -> String {
        formatter("d MMM yyyy, HH:mm").string(from: date) + " " + Instant.zoneName(zone, at: date)
    }

    /// `24 Jun 2009`: the day in the deployment's zone.
    func day(_ date: Date) -> String {
        formatter("d MMM yyyy").string(from: date)
    }

    /// `2009-06-24`: the day in the deployment's zone, as forms take it.
    func isoDay(_ date: Date) -> String {
        CivilDate(containing: date, in: zone).description
    }

    /// `31 Mar 2010` for the calendar date `2010-03-31`; text that is not a date is shown as given.
    func civil(_ text: String) -> String {
        guard let date = try? CivilDate.parse(text) else { return text }
        return formatter("d MMM yyyy").string(from: date.start(in: zone))
    }

    private func formatter(_ pattern: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        return formatter
    }
}

extension Request {
    var display: DisplayFormat { DisplayFormat(zone: application.settings.timeZone) }
}
