import Fluent
import InspectorateCore

/// The fields a person may set on an organisation. Absent means "leave unchanged".
struct OrganisationChanges: Sendable {
    var code: String?
    var name: String?
    var region: String?
    var country: String?
    var population2011: Int?
    var officers2019: Int?
    /// Problems found while reading a form (a number that is not a number), reported
    /// together with the rest.
    var problems: [FieldError] = []

    /// Checks every field at once so a form can list all its problems.
    func validated(creating: Bool) throws -> OrganisationChanges {
        var errors = ValidationErrors(problems)
        var clean = self
        clean.name = name?.trimmingCharacters(in: .whitespacesAndNewlines)
        if creating || clean.name != nil {
            if (clean.name ?? "").isEmpty {
                errors.add("name", "Enter the organisation's name")
            } else if (clean.name ?? "").count > 200 {
                errors.add("name", "Name must be 200 characters or fewer")
            }
        }
        if creating {
            let given = code.flatMap { $0.isEmpty ? nil : $0 }
            let code = given ?? OrganisationCode.suggest(from: clean.name ?? "")
            clean.code = code
            if given != nil {
                do { try OrganisationCode.validate(code) } catch let error as FieldError { errors.add(error.field, error.message) }
            } else if code.isEmpty && !(clean.name ?? "").isEmpty {
                // The caller sent no code: a problem with the one made from the name is the name's.
                errors.add("name", "No code can be made from this name: give a code as well, like west-midlands")
            }
        }
        if let region, !region.isEmpty {
            if let canonical = Region.canonical(region) {
                clean.region = canonical
            } else {
                errors.add("region", "Choose a region from the list")
            }
        }
        if let country, country.count > 100 { errors.add("country", "Country must be 100 characters or fewer") }
        for (field, value) in [("population_2011", population2011), ("officers_2019", officers2019)] {
            if let value, value < 0 { errors.add(field, "Must be zero or more") }
        }
        try errors.throwIfAny()
        return clean
    }
}

extension OrganisationService {
    /// Registers a partner body (a council, a health trust, an agency).
    static func createPartner(_ changes: OrganisationChanges, caller: Caller, on db: any Database) async throws -> Organisation {
        let clean = try changes.validated(creating: true)
        guard let code = clean.code, let name = clean.name else { throw FieldError("name", "Enter the organisation's name") }
        if try await Organisation.query(on: db).filter(\.$code == code).count() > 0 {
            throw DomainError.conflict(field: "code", message: "An organisation with the code \(code) already exists")
        }
        // A name another organisation already answers to (its name, an alias or its code)
        // would make files that name it ambiguous.
        let all = try await Organisation.query(on: db).all()
        if case .found(let position) = try await OrganisationService.nameIndex(of: all, on: db).match(name) {
            throw DomainError.conflict(
                field: "name",
                message: "\(all[position].name) (\(all[position].code)) already answers to the name \(name): choose another name")
        }
        let organisation = Organisation(
            code: code, name: name, kind: .partnerBody,
            region: clean.region.flatMap { $0.isEmpty ? nil : $0 }, country: clean.country.flatMap { $0.isEmpty ? nil : $0 },
            population2011: clean.population2011, officers2019: clean.officers2019)
        organisation.createdAt = caller.now
        organisation.updatedAt = organisation.createdAt
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            try await organisation.create(on: tx)
            try await audit.append(
                AuditEvent(
                    action: "organisation.create", recordType: "organisation", recordID: try organisation.requireID().uuidString,
                    organisationID: organisation.id, detail: "\(organisation.code): \(organisation.name)"))
        }
        return organisation
    }

    /// Applies changes only if the organisation is still at `expectedVersion`, so two people
    /// editing at once cannot silently overwrite each other.
    static func update(
        _ organisation: Organisation, with changes: OrganisationChanges, expectedVersion: Int, caller: Caller,
        on db: any Database
    ) async throws -> Organisation {
        let clean = try changes.validated(creating: false)
        guard let id = organisation.id else { throw DomainError.notFound("organisation") }
        var values: [(String, VersionedUpdate.Value)] = []
        if let name = clean.name { values.append(("name", name)) }
        if let region = clean.region { values.append(("region", region.isEmpty ? nil : region)) }
        if let country = clean.country { values.append(("country", country.isEmpty ? nil : country)) }
        if let population = clean.population2011 { values.append(("population_2011", population)) }
        if let officers = clean.officers2019 { values.append(("officers_2019", officers)) }
        let assignments = values
        let applied = try await Audit.transaction(on: db, caller: caller) { tx, audit in
            guard
                try await VersionedUpdate.apply(
                    table: Organisation.schema, id: id, expectedVersion: expectedVersion, values: assignments, at: caller.now, on: tx)
            else {
                return false
            }
            try await audit.append(
                AuditEvent(
                    action: "organisation.update", recordType: "organisation", recordID: id.uuidString, organisationID: id,
                    detail: "\(organisation.code): changed \(assignments.map(\.0).joined(separator: ", "))"))
            return true
        }
        guard let fresh = try await Organisation.query(on: db).filter(\.$id == id).with(\.$aliases).first() else {
            throw DomainError.notFound("organisation")
        }
        if !applied { throw DomainError.stale(current: fresh) }
        return fresh
    }
}
