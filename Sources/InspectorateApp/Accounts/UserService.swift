import Fluent
import InspectorateCore
import Vapor

/// Account operations shared by the admin pages, the API and `inspectorate user …`.
enum UserService {
    static func list(on db: any Database) async throws -> [User] {
        try await User.query(on: db).with(\.$organisation).sort(\.$email).all()
    }

    static func find(id: UUID, on db: any Database) async throws -> User? {
        try await User.query(on: db).filter(\.$id == id).with(\.$organisation).first()
    }

    static func find(email: String, on db: any Database) async throws -> User? {
        try await User.query(on: db).filter(\.$email == EmailAddress.normalise(email)).with(\.$organisation).first()
    }

    /// Creates an account. With no password given, one is generated and returned so the
    /// operator can pass it on once.
    static func create(
        _ changes: UserChanges, password: String?, hasher: AsyncPasswordHasher, caller: Caller,
        on db: any Database
    ) async throws -> (User, generatedPassword: String?) {
        var errors = ValidationErrors(changes.problems)
        let email = EmailAddress.normalise(changes.email ?? "")
        if email.isEmpty {
            errors.add("email", "Enter an e-mail address")
        } else if !EmailAddress.isPlausible(email) {
            errors.add("email", "Enter an e-mail address in the correct format, like name@example.org")
        }
        let displayName = (changes.displayName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if displayName.isEmpty {
            errors.add("display_name", "Enter the person's name")
        } else if displayName.count > 200 {
            errors.add("display_name", "Name must be 200 characters or fewer")
        }
        if changes.role == nil && !errors.errors.contains(where: { $0.field == "role" }) { errors.add("role", "Choose a role") }
        if let password {
            do { try PasswordPolicy.check(password) } catch let error as FieldError { errors.add(error.field, error.message) }
        }
        let organisationID = try await resolveOrganisation(changes.organisationCode, role: changes.role, errors: &errors, on: db)
        let vetting = Vetting(
            level: changes.vettingLevel ?? .none, granted: changes.vettingGranted ?? nil, expires: changes.vettingExpires ?? nil)
        do { try vetting.validate() } catch let error as FieldError { errors.add(error.field, error.message) }
        let reference = (changes.vettingReference ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if vetting.level != .none && reference.isEmpty {
            errors.add("vetting_reference", "Enter the vetting authority's reference for this grant")
        }
        if reference.count > 200 { errors.add("vetting_reference", "The reference must be 200 characters or fewer") }
        try errors.throwIfAny()

        if try await User.query(on: db).filter(\.$email == email).count() > 0 {
            throw DomainError.conflict(field: "email", message: "An account with the e-mail address \(email) already exists")
        }
        let chosen = password ?? PasswordGenerator.generate()
        guard let role = changes.role else { throw FieldError("role", "Choose a role") }
        let user = User(
            email: email, displayName: displayName, role: role, organisationID: organisationID,
            passwordHash: try await hasher.hash(chosen).get(), vetting: vetting)
        user.vettingReference = reference
        user.vettingGrantedBy = vetting.level == .none ? nil : caller.userID
        user.createdAt = caller.now
        user.updatedAt = user.createdAt
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            try await user.create(on: tx)
            try await audit.append(
                AuditEvent(
                    action: "user.create", recordType: "user", recordID: try user.requireID().uuidString,
                    organisationID: organisationID,
                    detail:
                        "\(user.email), \(user.role.rawValue), vetting \(describe(vetting))"
                        + (reference.isEmpty ? "" : ", authority's reference \(reference)")))
        }
        return (user, password == nil ? chosen : nil)
    }

    /// A person changing their own password: the current one is checked as a sign-in is,
    /// counted against the same kind of limit (five wrong in 15 minutes, then refused) and
    /// every wrong guess recorded in the trail.
    ///
    /// - Throws: `.throttled` once over the limit; `FieldError` on `current_password`,
    ///   `confirm_password` or `new_password`.
    static func changeOwnPassword(
        _ user: User, current: String, new: String, confirmation: String, hasher: AsyncPasswordHasher, caller: Caller,
        on db: any Database
    ) async throws {
        let id = try user.requireID()
        let key = LoginThrottle.passwordKey(id)
        if case .refused(_, let first) = try await LoginThrottle.count(
            key, limit: LoginThrottle.perAccount, message: "", now: caller.now, on: db)
        {
            if first {
                try await Audit.record(
                    AuditEvent(
                        action: "password.change", recordType: "user", recordID: id.uuidString, outcome: .denied, detail: "throttled"),
                    caller: caller, on: db)
            }
            throw DomainError.throttled("Too many wrong current passwords. Wait 15 minutes and try again.")
        }
        guard try await hasher.verify(current, created: user.passwordHash).get() else {
            try await Audit.record(
                AuditEvent(
                    action: "password.change", recordType: "user", recordID: id.uuidString, organisationID: user.$organisation.id,
                    outcome: .failure, detail: "wrong current password"),
                caller: caller, on: db)
            throw FieldError("current_password", "Your current password is incorrect")
        }
        guard new == confirmation else { throw FieldError("confirm_password", "The passwords do not match") }
        try PasswordPolicy.check(new, field: "new_password")
        try await LoginThrottle.clear(key, on: db)
        try await setPassword(user, to: new, hasher: hasher, caller: caller, on: db)
    }

    static func update(
        _ user: User, with changes: UserChanges, expectedVersion: Int, caller: Caller,
        on db: any Database
    ) async throws -> User {
        var errors = ValidationErrors(changes.problems)
        var values: [(String, VersionedUpdate.Value)] = []
        // What would change who this person is to the access rule (a form sends every field).
        var touched = Set<String>()
        if let name = changes.displayName?.trimmingCharacters(in: .whitespacesAndNewlines) {
            if name.isEmpty { errors.add("display_name", "Enter the person's name") }
            values.append(("display_name", name))
        }
        let role = changes.role ?? user.role
        if changes.role != nil { values.append(("role", role.rawValue)) }
        if changes.organisationCode != nil || changes.role != nil {
            var organisationID = user.$organisation.id
            if let code = changes.organisationCode {
                organisationID = try await resolveOrganisation(code, role: role, errors: &errors, on: db)
            } else if organisationID == nil && role.requiresHomeOrganisation {
                errors.add("organisation", "Choose the organisation this \(role.displayName.lowercased()) belongs to")
            }
            values.append(("organisation_id", organisationID))
            if organisationID != user.$organisation.id { touched.insert("organisation") }
        }
        if let active = changes.active { values.append(("active", active)) }
        let vetting = Vetting(
            level: changes.vettingLevel ?? user.vettingLevel,
            granted: changes.vettingGranted ?? user.vettingGranted,
            expires: changes.vettingExpires ?? user.vettingExpires)
        // A new level is a new grant and needs the authority's reference; new dates for the
        // same level keep the reference already recorded unless another is given.
        let given = changes.vettingReference?.trimmingCharacters(in: .whitespacesAndNewlines)
        let reference = (given?.isEmpty == false ? given : nil) ?? (vetting.level == user.vettingLevel ? user.vettingReference : "")
        if vetting != user.vetting {
            do { try vetting.validate() } catch let error as FieldError { errors.add(error.field, error.message) }
            if vetting.level != .none && reference.isEmpty {
                errors.add("vetting_reference", "Enter the vetting authority's reference for this grant")
            }
            if reference.count > 200 { errors.add("vetting_reference", "The reference must be 200 characters or fewer") }
            values.append(("vetting_level", vetting.level.rawValue))
            values.append(("vetting_granted", vetting.granted))
            values.append(("vetting_expires", vetting.expires))
            values.append(("vetting_reference", reference))
            values.append(("vetting_granted_by", caller.userID))
        }
        if changes.role != nil && changes.role != user.role { touched.insert("role") }
        if changes.active != nil && changes.active != user.active { touched.insert("active") }
        if vetting != user.vetting { touched.insert("vetting") }
        if let refusal = AccessRule.ownAccountRefusal(actor: caller.userID, target: try user.requireID(), changing: touched) {
            try await Audit.record(
                AuditEvent(
                    action: "user.update", recordType: "user", recordID: try user.requireID().uuidString,
                    organisationID: user.$organisation.id,
                    outcome: .denied, detail: "\(user.email): own \(touched.sorted().joined(separator: ", "))"),
                caller: caller, on: db)
            throw refusal
        }
        try errors.throwIfAny()
        let id = try user.requireID()
        let assignments = values
        let applied = try await Audit.transaction(on: db, caller: caller) { tx, audit in
            guard
                try await VersionedUpdate.apply(
                    table: User.schema, id: id, expectedVersion: expectedVersion, values: assignments, at: caller.now, on: tx)
            else {
                return false
            }
            let changed = assignments.map(\.0).filter { !$0.hasPrefix("vetting_") }
            if !changed.isEmpty {
                try await audit.append(
                    AuditEvent(
                        action: "user.update", recordType: "user", recordID: id.uuidString,
                        organisationID: user.$organisation.id,
                        detail: "\(user.email): changed \(changed.joined(separator: ", "))"))
            }
            if vetting != user.vetting {
                try await audit.append(
                    AuditEvent(
                        action: "user.vetting", recordType: "user", recordID: id.uuidString,
                        organisationID: user.$organisation.id,
                        detail:
                            "\(user.email): from \(describe(user.vetting)) to \(describe(vetting))"
                            + (vetting.level == .none ? "" : ", authority's reference \(reference)")))
            }
            return true
        }
        guard let fresh = try await find(id: id, on: db) else { throw DomainError.notFound("user") }
        if !applied { throw DomainError.stale(current: fresh) }
        return fresh
    }

    static func setPassword(
        _ user: User, to password: String, hasher: AsyncPasswordHasher, caller: Caller, on db: any Database
    ) async throws {
        try PasswordPolicy.check(password)
        let hash = try await hasher.hash(password).get()
        let id = try user.requireID()
        try await Audit.transaction(on: db, caller: caller) { tx, audit in
            try await User.query(on: tx).filter(\.$id == id)
                .set(\.$passwordHash, to: hash)
                .set(\.$version, to: user.version + 1)
                .set(\.$updatedAt, to: caller.now)
                .update()
            // A new password ends every other way in: sessions are checked against it below.
            try await APIToken.query(on: tx).filter(\.$user.$id == id).filter(\.$revokedAt == nil).set(\.$revokedAt, to: caller.now)
                .update()
            try await audit.append(
                AuditEvent(
                    action: "user.password", recordType: "user", recordID: id.uuidString,
                    organisationID: user.$organisation.id, detail: "\(user.email): password set; tokens revoked"))
        }
    }

    /// "SC from 2026-01-01 until 2036-01-01", for the audit trail.
    static func describe(_ vetting: Vetting) -> String {
        var text = vetting.level.rawValue.uppercased()
        if let granted = vetting.granted { text += " from \(AuditEntry.timestamp(granted))" }
        if let expires = vetting.expires { text += " until \(AuditEntry.timestamp(expires))" }
        return text
    }

    private static func resolveOrganisation(
        _ code: String?, role: Role?, errors: inout ValidationErrors, on db: any Database
    ) async throws -> UUID? {
        guard let code, !code.isEmpty else {
            if let role, role.requiresHomeOrganisation {
                errors.add("organisation", "Choose the organisation this \(role.displayName.lowercased()) belongs to")
            }
            return nil
        }
        guard let organisation = try await Organisation.query(on: db).filter(\.$code == code).first() else {
            errors.add("organisation", "No organisation has the code \(code)")
            return nil
        }
        return organisation.id
    }
}
