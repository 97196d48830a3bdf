import Fluent
import InspectorateCore
import Vapor

extension AuditTrail.Filter {
    /// The filter from a request's query string: the same for the page, the CSV and the API.
    /// - Throws: `FieldError` naming the parameter that is wrong.
    init(query req: Request) async throws {
        self.init()
        user = req.query["user"]
        record = req.query["record"]
        action = req.query["action"]
        if let outcome: String = req.query["outcome"], !outcome.isEmpty {
            guard let parsed = AuditOutcome(rawValue: outcome) else {
                throw FieldError("outcome", "Use one of \(AuditOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.outcome = parsed
        }
        // Days are the deployment's days: "to 2027-07-31" runs to midnight in London.
        let zone = req.application.settings.timeZone
        if let value: String = req.query["from"], !value.isEmpty {
            from = try CivilDate.parse(value, field: "from").start(in: zone)
        }
        if let value: String = req.query["to"], !value.isEmpty {
            before = try CivilDate.parse(value, field: "to").adding(days: 1).start(in: zone)
        }
        // Organisations are filtered by code, as people know them.
        if let code: String = req.query["organisation"], !code.isEmpty {
            guard let organisation = try await Organisation.query(on: req.db).filter(\.$code == code).first() else {
                throw FieldError("organisation", "No organisation has the code \(code)")
            }
            organisationID = organisation.id
        }
    }

    /// The filters as query items, for links to the next page and the CSV.
    static func queryItems(_ req: Request) -> [(String, String?)] {
        ["user", "record", "organisation", "action", "outcome", "from", "to"].map { key in (key, req.query[String.self, at: key]) }
    }
}
