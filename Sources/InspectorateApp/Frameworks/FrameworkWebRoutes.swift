import Fluent
import InspectorateCore
import Vapor

/// Framework pages: the list, one version in full, the difference between two versions,
/// and (for administrators) upload, validate, preview and import.
struct FrameworkWebRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.frameworks, use: index)
        routes.get(SiteURL.frameworkDiff, use: diff)
        routes.get(SiteURL.framework(.key, .key), use: show)
        let admin = routes.guarded(by: .manageReferenceData)
        admin.get(SiteURL.frameworkUpload, use: upload)
        admin.post(SiteURL.frameworkUpload, use: preview)
        admin.post(SiteURL.frameworks, use: create)
    }

    struct Row: Encodable {
        var code, version, title, reference: String
        var areas, criteria: Int
        var levels: String
        var imported: String
    }

    func index(req: Request) async throws -> View {
        struct Page: Encodable {
            var page: PageContext
            var rows: [Row]
            var canUpload: Bool
            var references: [String]
        }
        let format = req.display
        let rows = try await FrameworkService.list(on: req.db).map { record in
            let summary = try FrameworkSummaryDTO(record)
            return Row(
                code: record.code, version: record.version, title: record.title, reference: record.reference,
                areas: summary.areas, criteria: summary.criteria, levels: summary.levels.joined(separator: ", "),
                imported: format.day(record.importedAt))
        }
        return try await req.view.render(
            "frameworks/index",
            Page(
                page: .init(title: "Frameworks", req: req), rows: rows,
                canUpload: AccessRule.canManageReferenceData(try req.principal), references: rows.map(\.reference)))
    }

    /// Everything a page needs to show one framework.
    struct FrameworkView: Encodable {
        struct Descriptor: Encodable { var level: Int; var name: String; var text: String }
        struct CriterionView: Encodable {
            var code, title: String; var weight: Double; var descriptors: [Descriptor]; var evidence: [String]
        }
        struct AreaView: Encodable { var code, title: String; var rollup: String; var weight: Double; var criteria: [CriterionView] }
        struct TierRow: Encodable { var code, name, deadline: String; var description: String?; var minimums: [String] }
        var framework: FrameworkDTO
        var areas: [AreaView]
        var areaTitles: [String]
        var tiers: [TierRow]

        init(_ f: Framework) {
            framework = FrameworkDTO(f)
            areas = f.areas.map { area in
                AreaView(
                    code: area.code, title: area.title, rollup: (area.rollup ?? f.rollup).rawValue.replacingOccurrences(of: "_", with: " "),
                    weight: area.weight,
                    criteria: area.criteria.map { c in
                        CriterionView(
                            code: c.code, title: c.title, weight: c.weight,
                            descriptors: f.scale.map { Descriptor(level: $0.level, name: $0.name, text: c.descriptors[$0.level] ?? "") },
                            evidence: c.evidenceExpected)
                    })
            }
            areaTitles = f.areas.map(\.title)
            tiers = f.tiers.map { tier in
                TierRow(
                    code: tier.code, name: tier.name, deadline: tier.deadline, description: tier.description,
                    minimums: f.areas.map { area in tier.minimums[area.code].map { "\($0) \(f.levelName($0) ?? "")" } ?? "–" })
            }
        }
    }

    func show(req: Request) async throws -> View {
        struct Page: Encodable { var page: PageContext; var view: FrameworkView; var exportURL: String }
        let record = try await FrameworkService.require(code: try req.parameter("code"), version: try req.parameter("version"), on: req.db)
        let framework = try record.framework()
        return try await req.view.render(
            "frameworks/show",
            Page(
                page: .init(title: framework.title, req: req), view: FrameworkView(framework),
                exportURL: APIURL.frameworkExport(.value(record.code), .value(record.version)).path))
    }

    func diff(req: Request) async throws -> View {
        struct Page: Encodable {
            var page: PageContext
            var from, to: String
            var references: [String]
            var changes: [FrameworkChangeDTO]?
            var problem: String?
        }
        let references = try await FrameworkService.list(on: req.db).map(\.reference)
        let from: String = req.query["from"] ?? ""
        let to: String = req.query["to"] ?? ""
        var page = Page(page: .init(title: "Compare framework versions", req: req), from: from, to: to, references: references)
        if !from.isEmpty && !to.isEmpty {
            do {
                let old = try await FrameworkService.require(reference: from, on: req.db)
                let new = try await FrameworkService.require(reference: to, on: req.db)
                page.changes = FrameworkDiff.compare(try old.framework(), try new.framework()).map(FrameworkChangeDTO.init)
            } catch let error as DomainError {
                guard case .notFound = error else { throw error }
                page.problem = "\(error.description): give CODE@VERSION of an imported framework"
            } catch let error as FieldError {
                page.problem = error.message
            }
        }
        return try await req.view.render("frameworks/diff", page)
    }

    struct UploadForm: Content {
        var document: String?
        var file: File?
    }

    struct UploadPage: Encodable {
        var page: PageContext
        var document: String
        var problems: [String]
        var view: FrameworkView?
        var existing: Bool
    }

    func upload(req: Request) async throws -> View {
        try await req.view.render(
            "frameworks/upload",
            UploadPage(page: .init(title: "Import a framework", req: req), document: "", problems: [], view: nil, existing: false))
    }

    /// The document from the uploaded file, or else the pasted text.
    /// - Throws: `FrameworkInvalid` when the file is not UTF-8 text.
    static func documentText(_ form: UploadForm) throws -> String {
        if let file = form.file, file.data.readableBytes > 0 {
            guard let text = String(validating: file.data.readableBytesView, as: UTF8.self) else {
                throw FrameworkInvalid(problems: [
                    FrameworkProblem("file", "\(file.filename) is not UTF-8 text; save it as UTF-8 and upload it again")
                ])
            }
            return text
        }
        return form.document ?? ""
    }

    /// Validates and shows what would be imported, without importing it.
    func preview(req: Request) async throws -> Response {
        var page = UploadPage(page: .init(title: "Import a framework", req: req), document: "", problems: [], view: nil, existing: false)
        do {
            let text = try Self.documentText(try req.form(UploadForm.self))
            page.document = text
            if text.isBlank {
                throw FrameworkInvalid(problems: [FrameworkProblem("document", "Choose a YAML file or paste the document")])
            }
            let framework = try FrameworkDocument.parse(yaml: text)
            page.view = FrameworkView(framework)
            page.existing = try await FrameworkService.find(code: framework.code, version: framework.version, on: req.db) != nil
            return try await req.view.render("frameworks/upload", page).encodeResponse(for: req)
        } catch let invalid as FrameworkInvalid {
            page.problems = invalid.problems.map(\.description)
            return try await req.view.render("frameworks/upload", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    func create(req: Request) async throws -> Response {
        var text = ""
        do {
            text = try Self.documentText(try req.form(UploadForm.self))
            let (record, created) = try await FrameworkService.importDocument(text, by: try req.currentUser, caller: req.caller, on: req.db)
            req.flash(created ? "\(record.reference) has been imported" : "\(record.reference) was already imported, unchanged")
            return req.redirect(to: SiteURL.framework(.value(record.code), .value(record.version)).path)
        } catch let error as DomainError {
            guard case .conflict = error else { throw error }
            let page = UploadPage(
                page: .init(title: "Import a framework", req: req), document: text, problems: [error.description], view: nil, existing: true
            )
            return try await req.view.render("frameworks/upload", page).encodeResponse(status: .conflict, for: req)
        } catch let invalid as FrameworkInvalid {
            let page = UploadPage(
                page: .init(title: "Import a framework", req: req), document: text, problems: invalid.problems.map(\.description),
                view: nil, existing: false)
            return try await req.view.render("frameworks/upload", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}
