import Fluent
import Vapor

/// Every migration, in the order they were written; never reorder or remove one.
enum Migrations {
    static func register(on app: Application) {
        app.migrations.add(CreateOrganisations())
        app.migrations.add(CreateUsers())
        app.migrations.add(CreateAPITokens())
        app.migrations.add(CreateLoginFailures())
        app.migrations.add(SessionRecord.migration)
        app.migrations.add(CreateFrameworks())
        app.migrations.add(CreateCycles())
        app.migrations.add(CreateRiskTierChanges())
        app.migrations.add(CreateAssessments())
        app.migrations.add(AddPreviousCycle())
        app.migrations.add(CreateAuditTrail())
        app.migrations.add(CreateGroups())
        app.migrations.add(CreateSharedItems())
        app.migrations.add(AddRationaleDescriptors())
        app.migrations.add(CreateEvidenceFiles())
        app.migrations.add(AddNarrativeMarking())
        app.migrations.add(AddPictureSummaries())
        app.migrations.add(AddOrganisationNameIndex())
        app.migrations.add(RekeyJudgements())
        app.migrations.add(AddCycleStatusAndDeadlines())
        app.migrations.add(CreateWebSessions())
        app.migrations.add(CreateLoginThrottle())
        app.migrations.add(AddVettingAuthority())
    }
}
