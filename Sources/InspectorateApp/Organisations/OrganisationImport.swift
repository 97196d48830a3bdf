import Fluent
import Foundation
import InspectorateCore

extension OrganisationService {
    /// Plans the whole file first, then applies it in one transaction: a file with any
    /// bad line changes nothing.
    @discardableResult
    static func importCSV(
        _ bytes: [UInt8], dryRun: Bool = false, caller: Caller, on db: any Database
    ) async throws -> OrganisationImportPlan {
        let plan = try OrganisationImportPlanner.plan(csv: bytes, directory: try await directory(on: db))
        if dryRun { return plan }
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            try await audit.append(
                AuditEvent(
                    action: "organisation.import", recordType: "organisation",
                    detail: "\(plan.creations.count) created, \(plan.updates.count) updated, \(plan.skipped.count) skipped"))
            // One multi-row INSERT per few thousand organisations: files can hold tens of thousands.
            let now = caller.now
            var ids: [String: UUID] = [:]
            let rows: [[any Encodable & Sendable]] = plan.creations.map { creation in
                let id = UUID()
                ids[creation.code] = id
                return [
                    id, creation.code, creation.name, creation.kind.rawValue, creation.region, creation.country,
                    creation.figures.population2011, creation.figures.officers2019, 1, now, now,
                ]
            }
            try await BulkInsert.rows(
                into: Organisation.schema,
                columns: [
                    "id", "code", "name", "kind", "region", "country", "population_2011",
                    "officers_2019", "version", "created_at", "updated_at",
                ], values: rows, on: tx)
            for creation in plan.creations {
                guard let id = ids[creation.code] else { continue }
                for alias in creation.aliases {
                    try await OrganisationAlias(organisationID: id, alias: alias).create(on: tx)
                }
            }
            for update in plan.updates {
                var query = Organisation.query(on: tx).filter(\.$code == update.code)
                if let population = update.figures.population2011 { query = query.set(\.$population2011, to: population) }
                if let officers = update.figures.officers2019 { query = query.set(\.$officers2019, to: officers) }
                // Figures from a file are still a change: bump the version so an open
                // edit form does not overwrite them unnoticed.
                guard let current = try await Organisation.query(on: tx).filter(\.$code == update.code).first() else { continue }
                try await query.set(\.$version, to: current.version + 1).set(\.$updatedAt, to: now).update()
            }
        }
        return plan
    }
}

extension OrganisationImportPlan {
    /// The report an operator reads: what was created, updated and skipped, and why.
    var report: [String] {
        var lines: [String] = []
        for creation in creations { lines.append("line \(creation.line): created \(creation.code) (\(creation.name))") }
        for update in updates {
            var figures: [String] = []
            if let p = update.figures.population2011 { figures.append("population_2011=\(p)") }
            if let o = update.figures.officers2019 { figures.append("officers_2019=\(o)") }
            lines.append("line \(update.line): updated \(update.code) from \"\(update.label)\": \(figures.joined(separator: ", "))")
        }
        for skip in skipped { lines.append("line \(skip.line): skipped \"\(skip.label)\": \(skip.reason)") }
        if !ignoredColumns.isEmpty { lines.append("columns not read: \(ignoredColumns.joined(separator: ", "))") }
        lines.append("\(creations.count) created, \(updates.count) updated, \(skipped.count) skipped")
        return lines
    }
}
