import Fluent
import InspectorateCore
import Vapor

/// The CSV of a cycle's judgements and results, limited to what the person may see.
enum CycleExport {
    /// The export as a download, for the page and the API alike.
    static func download(_ req: Request) async throws -> Response {
        let scope = try req.organisationScope
        let cycle = try await CycleService.require(code: try req.parameter("cycle", naming: "cycle"), scope: scope, on: req.db)
        let filters = try NationalPictureService.Filters(region: req.query["region"], kind: req.query["kind"], tier: req.query["tier"])
        let csv = try await csv(of: cycle, filters: filters, principal: try req.principal, scope: scope, on: req.db)
        return Download.csv(csv, filename: "\(cycle.code)-judgements.csv", byteOrderMark: try req.csvByteOrderMark)
    }

    /// One row per criterion of every assessment the reader may see, for the organisations
    /// the picture's filters select (region, kind, tier), with the organisation's overall
    /// stage and whether it meets its tier's minimum. These are results, as the picture counts
    /// them: a stage only once the assessment is final, and "yes" or "no" only when it is final
    /// and a tier is set ("not final", "tier not set" otherwise). Members and partners see
    /// inspections only once final, as on the picture.
    static func csv(
        of cycle: Cycle, filters: NationalPictureService.Filters, principal: Principal, scope: OrganisationScope, on db: any Database
    ) async throws -> String {
        let framework = try cycle.framework.framework()
        let selected = Set(
            try await NationalPictureService.rows(of: cycle, framework: framework, filters: filters, scope: scope, on: db).map(
                \.organisation))
        let members = Dictionary(
            uniqueKeysWithValues: try await CycleService.members(of: cycle, scope: scope, on: db)
                .filter { selected.contains($0.organisation.code) }.map { ($0.$organisation.id, $0) })
        let code = { (assessment: Assessment) in members[assessment.$organisation.id]?.organisation.code ?? "" }
        let assessments = try await Assessment.query(on: db).filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$organisation.$id ~~ Array(members.keys)).with(\.$judgements).all()
            .filter {
                AccessRule.canView(assessment: $0.kind, status: $0.status, organisationID: $0.$organisation.id, principal: principal)
            }
            .sorted { (code($0), $0.kind.rawValue) < (code($1), $1.kind.rawValue) }
        var writer = CSVWriter(header: [
            "cycle", "organisation", "organisation_name", "region", "tier", "assessment", "status",
            "overall_stage", "meets_minimum", "deadline", "area", "criterion", "level", "level_name", "area_level", "area_minimum",
            "area_met",
        ])
        for assessment in assessments {
            guard let member = members[assessment.$organisation.id] else { continue }
            let tier = member.tierCode.flatMap(framework.tier)
            let byCode = Dictionary(assessment.loadedJudgements.map { ($0.criterionCode, $0) }, uniquingKeysWith: { a, _ in a })
            let areaLevels = try assessment.areaLevels
            // Results, as the picture counts them: a stage and "meets" only once final.
            let final = assessment.status == .final
            let meets = tier == nil ? "tier not set" : !final ? "not final" : assessment.meetsMinimum ? "yes" : "no"
            let deadline = tier.map(cycle.deadline(of:)) ?? ""
            for (area, criterion) in framework.criteria {
                let level = byCode[criterion.code]?.level
                let minimum = tier?.minimums[area.code] ?? framework.levels.lowerBound
                let areaLevel = areaLevels[area.code]
                writer.append([
                    cycle.code, member.organisation.code, member.organisation.name, member.organisation.region ?? "",
                    member.tierCode ?? "", assessment.kind.rawValue, assessment.status.rawValue,
                    final ? assessment.overallStage.map(String.init) ?? "" : "", meets, deadline, area.code, criterion.code,
                    level.map(String.init) ?? "", level.flatMap(framework.levelName) ?? "",
                    areaLevel.map(String.init) ?? "", tier == nil ? "" : String(minimum),
                    tier == nil || !final ? "" : areaLevel.map { $0 >= minimum ? "yes" : "no" } ?? "",
                ])
            }
        }
        return writer.text
    }
}
