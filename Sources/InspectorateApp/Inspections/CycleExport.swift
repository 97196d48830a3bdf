import Fluent
import InspectorateCore
import Vapor

/// The CSV of a cycle's judgements and results, limited to what the person may see.
enum CycleExport {
    /// The export as a download, for the page and the API alike.
    static func download(_ req: Request) async throws -> Response {
        let scope = try req.organisationScope
        let cycle = try await CycleService.require(code: try req.parameter("cycle", naming: "cycle"), scope: scope, on: req.db)
        let csv = try await csv(of: cycle, principal: try req.principal, scope: scope, on: req.db)
        return Download.csv(csv, filename: "\(cycle.code)-judgements.csv", byteOrderMark: try req.csvByteOrderMark)
    }

    static func csv(of cycle: Cycle, principal: Principal, scope: OrganisationScope, on db: any Database) async throws -> String {
        let framework = try cycle.framework.framework()
        let members = Dictionary(
            uniqueKeysWithValues: try await CycleService.members(of: cycle, scope: scope, on: db).map { ($0.$organisation.id, $0) })
        let code = { (assessment: Assessment) in members[assessment.$organisation.id]?.organisation.code ?? "" }
        let assessments = try await Assessment.query(on: db).filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$organisation.$id ~~ Array(members.keys)).with(\.$judgements).all()
            .filter {
                AccessRule.canView(assessment: $0.kind, status: $0.status, organisationID: $0.$organisation.id, principal: principal)
            }
            .sorted { (code($0), $0.kind.rawValue) < (code($1), $1.kind.rawValue) }
        var writer = CSVWriter(header: [
            "cycle", "organisation", "organisation_name", "region", "tier", "assessment", "status",
            "area", "criterion", "level", "level_name", "area_level", "area_minimum", "area_met", "meets_minimum",
        ])
        for assessment in assessments {
            guard let member = members[assessment.$organisation.id] else { continue }
            let tier = member.tierCode.flatMap(framework.tier)
            let byCode = Dictionary(assessment.judgements.map { ($0.criterionCode, $0) }, uniquingKeysWith: { a, _ in a })
            let areaLevels = try assessment.areaLevels
            for (area, criterion) in framework.criteria {
                let level = byCode[criterion.code]?.level
                let minimum = tier?.minimums[area.code] ?? framework.levels.lowerBound
                let areaLevel = areaLevels[area.code]
                writer.append([
                    cycle.code, member.organisation.code, member.organisation.name, member.organisation.region ?? "",
                    member.tierCode ?? "", assessment.kind.rawValue, assessment.status.rawValue, area.code, criterion.code,
                    level.map(String.init) ?? "", level.flatMap(framework.levelName) ?? "",
                    areaLevel.map(String.init) ?? "", String(minimum),
                    areaLevel.map { $0 >= minimum ? "yes" : "no" } ?? "", assessment.meetsMinimum ? "yes" : "no",
                ])
            }
        }
        return writer.text
    }
}
