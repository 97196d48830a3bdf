import Foundation

extension OrganisationImportPlanner {
    enum Resolution {
        case organisation(String)
        case subtotal(String)
        case create(OrganisationImportPlan.Creation)
        case skip(String)
    }

    static func classify(_ rows: [Row], directory: OrganisationDirectory, into plan: inout OrganisationImportPlan) throws {
        var seen: [String: Int] = [:]
        for (index, row) in rows.enumerated() where !row.isBlank {
            switch try resolve(row, at: index, in: rows, directory: directory) {
            case .skip(let reason):
                plan.skipped.append(.init(line: row.line, label: row.label, reason: reason))
            case .subtotal(let reason):
                plan.skipped.append(.init(line: row.line, label: row.label, reason: reason))
            case .organisation(let code):
                if let earlier = seen[code] {
                    throw ImportError(line: row.line, "\(row.label) is the same organisation (\(code)) as line \(earlier)")
                }
                seen[code] = row.line
                if row.figures.isEmpty {
                    plan.skipped.append(.init(line: row.line, label: row.label, reason: "no figures given"))
                } else {
                    plan.updates.append(.init(line: row.line, code: code, label: row.label, figures: row.figures))
                }
            case .create(let creation):
                if let earlier = seen[creation.code] {
                    throw ImportError(line: row.line, column: "code", "code \(creation.code) is already used on line \(earlier)")
                }
                seen[creation.code] = row.line
                plan.creations.append(creation)
            }
        }
    }

    static func resolve(_ row: Row, at index: Int, in rows: [Row], directory: OrganisationDirectory) throws -> Resolution {
        if let code = row.values[.code] {
            if directory.organisation(code: code) != nil { return .organisation(code) }
            return try creation(for: row, code: code)
        }
        guard let name = row.values[.name] else { return .skip("no code or name given") }
        let matched = directory.code(forName: name)
        if let region = Region.canonical(name) {
            guard let matched else { return .subtotal("region subtotal row (\(region)), not an organisation") }
            // A name that is both a region and a force (West Midlands): a subtotal row is
            // followed by its forces and equals their sum; the force row is not.
            if let covered = subtotalCoverage(of: row, at: index, in: rows, directory: directory) {
                return .subtotal("region subtotal row (\(region)): equals the sum of the \(covered) organisations that follow")
            }
            return .organisation(matched)
        }
        if let matched { return .organisation(matched) }
        if row.values[.kind] != nil {
            return try creation(for: row, code: OrganisationCode.suggest(from: name))
        }
        return .skip("not a known organisation: no organisation has this name or alias")
    }

    static func subtotalCoverage(of row: Row, at index: Int, in rows: [Row], directory: OrganisationDirectory) -> Int? {
        guard let total = row.firstFigure else { return nil }
        var sum = 0
        var count = 0
        for next in rows[(index + 1)...] {
            guard let name = next.values[.name] else { break }
            let isOrganisation = directory.code(forName: name) != nil
            if Region.canonical(name) != nil && !isOrganisation { break }
            guard isOrganisation, let figure = next.firstFigure else { break }
            sum += figure
            count += 1
            if sum == total { return count }
            if sum > total { return nil }
        }
        return nil
    }

    static func creation(for row: Row, code: String) throws -> Resolution {
        guard let name = row.values[.name], let rawKind = row.values[.kind] else {
            return .skip("unknown code \(code), and no name and kind to create it")
        }
        do { try OrganisationCode.validate(code) } catch let error as FieldError {
            throw ImportError(line: row.line, column: "code", error.message)
        }
        guard
            let kind = OrganisationKind.allCases.first(where: {
                NameKey.make($0.rawValue) == NameKey.make(rawKind) || NameKey.make($0.displayName) == NameKey.make(rawKind)
            })
        else {
            let allowed = OrganisationKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ImportError(line: row.line, column: "kind", "\"\(rawKind)\" is not a kind of organisation (use one of \(allowed))")
        }
        var region: String?
        if let rawRegion = row.values[.region] {
            guard let canonical = Region.canonical(rawRegion) else {
                throw ImportError(
                    line: row.line, column: "region", "\"\(rawRegion)\" is not a region (use one of \(Region.all.joined(separator: ", ")))")
            }
            region = canonical
        }
        let aliases = (row.values[.aliases] ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        return .create(
            .init(
                line: row.line, code: code, name: name, kind: kind, region: region,
                country: row.values[.country], aliases: aliases, figures: row.figures))
    }
}
