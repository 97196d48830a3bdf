import Foundation
import Testing

@testable import InspectorateCore

@Suite("Access rule")
struct AccessRuleTests {
    let home = UUID()
    let other = UUID()

    func principal(_ role: Role, home: UUID? = nil) -> Principal {
        Principal(userID: UUID(), role: role, homeOrganisationID: home, vetting: Vetting(level: .none, granted: nil, expires: nil))
    }

    @Test(arguments: [Role.administrator, .inspector, .leadInspector, .analyst])
    func staffSeeEveryOrganisation(role: Role) {
        #expect(AccessRule.organisationScope(for: principal(role)) == .all)
        #expect(AccessRule.canView(organisation: other, principal: principal(role)))
    }

    @Test(arguments: [Role.organisationMember, .partner])
    func membersAndPartnersSeeOnlyTheirOwn(role: Role) {
        let p = principal(role, home: home)
        #expect(AccessRule.canView(organisation: home, principal: p))
        #expect(!AccessRule.canView(organisation: other, principal: p))
        #expect(AccessRule.organisationScope(for: principal(role)) == .nothing, "no home organisation, nothing")
    }

    @Test func onlyAdministratorsManageUsersAndReferenceData() {
        for role in Role.allCases {
            #expect(AccessRule.canManageUsers(principal(role)) == (role == .administrator))
            #expect(AccessRule.canManageReferenceData(principal(role)) == (role == .administrator))
        }
    }

    @Test func forcesAreEditedByAdministratorsAndPartnersByStaffToo() {
        for role in Role.allCases {
            let p = principal(role, home: home)
            #expect(AccessRule.canEdit(organisationOfKind: .territorialForce, principal: p) == (role == .administrator))
            #expect(
                AccessRule.canEdit(organisationOfKind: .partnerBody, principal: p)
                    == [.administrator, .inspector, .leadInspector].contains(role))
        }
    }
}

@Suite("Vetting")
struct VettingTests {
    @Test func levelsAreOrdered() {
        #expect(VettingLevel.none < .bpss && VettingLevel.bpss < .ctc && VettingLevel.ctc < .sc && VettingLevel.sc < .dv)
    }

    @Test func vettingLapsesAtTheExactInstantOfExpiry() {
        let granted = Date(timeIntervalSince1970: 1_000_000)
        let expires = Date(timeIntervalSince1970: 2_000_000)
        let vetting = Vetting(level: .sc, granted: granted, expires: expires)
        #expect(vetting.effectiveLevel(at: expires.addingTimeInterval(-0.001)) == .sc)
        #expect(vetting.effectiveLevel(at: expires) == .none)
        #expect(vetting.effectiveLevel(at: granted.addingTimeInterval(-1)) == .none)
        #expect(Vetting(level: .dv, granted: granted, expires: nil).effectiveLevel(at: .distantFuture) == .dv)
    }

    @Test func vettingNeedsAGrantDateAndAnExpiryAfterIt() {
        #expect(throws: FieldError("vetting_granted", "Enter the date the vetting was granted")) {
            try Vetting(level: .ctc, granted: nil, expires: nil).validate()
        }
        #expect(throws: FieldError.self) {
            try Vetting(level: .ctc, granted: Date(timeIntervalSince1970: 10), expires: Date(timeIntervalSince1970: 5)).validate()
        }
    }
}

@Suite("Passwords and addresses")
struct PasswordPolicyTests {
    @Test func shortAndCommonPasswordsAreRefusedNamingTheField() {
        #expect(throws: FieldError("password", "Password must be at least 12 characters")) { try PasswordPolicy.check("tiny") }
        #expect(throws: FieldError.self) { try PasswordPolicy.check("Password1234") }
        #expect(throws: FieldError.self) { try PasswordPolicy.check("aaaaaaaaaaaaaaaa") }
        #expect(throws: FieldError("new_password", "Password must be at least 12 characters")) {
            try PasswordPolicy.check("tiny", field: "new_password")
        }
        #expect(throws: Never.self) { try PasswordPolicy.check("correct horse battery staple") }
    }

    @Test func emailAddresses() {
        #expect(EmailAddress.normalise("  Lead@Example.ORG ") == "lead@example.org")
        #expect(EmailAddress.isPlausible("a.b@force.police.uk"))
        for bad in ["", "no-at-sign", "a@b", "a@@b.org", "a b@c.org", "@c.org", "a@.org"] {
            #expect(!EmailAddress.isPlausible(bad), "\(bad)")
        }
    }
}
