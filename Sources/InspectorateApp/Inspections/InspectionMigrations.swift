import Fluent
import SQLKit

/// Inspection cycles: a framework version, the organisations in scope and the dates.
struct CreateCycles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cycles")
            .id()
            .field("code", .string, .required)
            .field("title", .string, .required)
            .field("framework_id", .uuid, .required, .references("frameworks", "id", onDelete: .restrict))
            .field("self_assessment_due", .string, .required)
            .field("fieldwork_start", .string, .required)
            .field("fieldwork_end", .string, .required)
            .field("moderation_due", .string, .required)
            .field("publication", .string, .required)
            .field("version", .int64, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema("cycle_organisations")
            .id()
            .field("cycle_id", .uuid, .required, .references("cycles", "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .restrict))
            .field("tier_code", .string)
            .unique(on: "cycle_id", "organisation_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cycle_organisations").delete()
        try await database.schema("cycles").delete()
    }
}

/// Every change of an organisation's risk tier: who, when, from what, to what, and why.
struct CreateRiskTierChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("risk_tier_changes")
            .id()
            .field("cycle_id", .uuid, .required, .references("cycles", "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .restrict))
            .field("from_tier", .string)
            .field("to_tier", .string, .required)
            .field("rationale", .custom("TEXT"), .required)
            .field("marking", .string, .required)
            .field("changed_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("changed_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "risk_tier_changes_cycle_org").on("risk_tier_changes").column("cycle_id").column("organisation_id")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("risk_tier_changes").delete()
    }
}

/// Assessments (self-assessment and inspection) with their judgements and history.
/// Results are kept up to date on every write, so the national picture never recomputes.
struct CreateAssessments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("assessments")
            .id()
            .field("cycle_id", .uuid, .required, .references("cycles", "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .restrict))
            .field("kind", .string, .required)
            .field("status", .string, .required)
            .field("area_levels", .custom("TEXT"), .required)
            .field("overall_stage", .int64)
            .field("meets_minimum", .bool, .required)
            .field("version", .int64, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "cycle_id", "organisation_id", "kind")
            .create()
        try await database.schema("judgements")
            .id()
            .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
            .field("criterion_code", .string, .required)
            .field("level", .int64)
            .field("narrative", .custom("TEXT"), .required)
            .field("rationale", .custom("TEXT"), .required)
            .field("version", .int64, .required)
            .field("updated_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("updated_at", .datetime)
            .unique(on: "assessment_id", "criterion_code")
            .create()
        try await database.schema("assessment_history")
            .id()
            .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
            .field("criterion_code", .string)
            .field("field", .string, .required)
            .field("old_value", .custom("TEXT"))
            .field("new_value", .custom("TEXT"))
            .field("reason", .custom("TEXT"))
            .field("changed_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("changed_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "assessment_history_assessment").on("assessment_history").column("assessment_id").column("changed_at")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("assessment_history").delete()
        try await database.schema("judgements").delete()
        try await database.schema("assessments").delete()
    }
}

/// A cycle may follow an earlier one: assessments carry forward from it and the national
/// picture shows movement since it.
struct AddPreviousCycle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cycles")
            .field("previous_cycle_id", .uuid, .references("cycles", "id", onDelete: .setNull))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cycles").deleteField("previous_cycle_id").update()
    }
}

/// A risk tier rationale's marking may carry descriptors, like any marked record.
struct AddRationaleDescriptors: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("risk_tier_changes")
            .field("marking_descriptors", .string, .required, .sql(.default("")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("risk_tier_changes").deleteField("marking_descriptors").update()
    }
}

/// Narratives and rationales are marked information, like evidence.
struct AddNarrativeMarking: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // SQLite adds one column per ALTER TABLE.
        try await database.schema("assessments").field("narrative_marking", .string).update()
        try await database.schema("assessments").field("narrative_descriptors", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("assessments").deleteField("narrative_descriptors").update()
        try await database.schema("assessments").deleteField("narrative_marking").update()
    }
}

/// A counter every change to a cycle's results moves on, and the national picture's
/// summaries computed at a given count: a warm picture reads one row instead of every
/// assessment.
struct AddPictureSummaries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cycles").field("results_version", .int64, .required, .sql(.default(0))).update()
        try await database.schema("picture_summaries")
            .id()
            .field("cycle_id", .uuid, .required, .references("cycles", "id", onDelete: .cascade))
            .field("filter_key", .string, .required)
            .field("results_version", .int64, .required)
            .field("summary", .custom("TEXT"), .required)
            .unique(on: "cycle_id", "filter_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("picture_summaries").delete()
        try await database.schema("cycles").deleteField("results_version").update()
    }
}

/// Pages of the national picture are in name order: let the database read them in that order.
struct AddOrganisationNameIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "organisations_name_code").on("organisations").column("name").column("code").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "organisations_name_code").run()
    }
}

/// Judgements are keyed by (assessment, criterion) instead of a surrogate id: one tree
/// instead of a table and two indexes, which is most of what a bulk import writes. SQLite
/// cannot change a table's key in place, so it is rebuilt there (WITHOUT ROWID keeps the
/// rows in key order); PostgreSQL changes the key where it stands.
struct RekeyJudgements: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            let sql = try tx.sql
            if sql.dialect.name == "sqlite" {
                try await sql.raw(
                    """
                    CREATE TABLE "judgements_rekeyed" (
                      "assessment_id" UUID NOT NULL REFERENCES "assessments" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
                      "criterion_code" TEXT NOT NULL, "level" INTEGER, "narrative" TEXT NOT NULL, "rationale" TEXT NOT NULL,
                      "version" INTEGER NOT NULL, "updated_by" UUID REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION,
                      "updated_at" REAL, PRIMARY KEY ("assessment_id", "criterion_code")) WITHOUT ROWID
                    """
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO "judgements_rekeyed" SELECT "assessment_id", "criterion_code", "level", "narrative", "rationale",
                      "version", "updated_by", "updated_at" FROM "judgements"
                    """
                ).run()
                try await sql.raw(#"DROP TABLE "judgements""#).run()
                try await sql.raw(#"ALTER TABLE "judgements_rekeyed" RENAME TO "judgements""#).run()
            } else {
                try await sql.raw(#"ALTER TABLE "judgements" DROP COLUMN "id""#).run()
                try await sql.raw(#"ALTER TABLE "judgements" DROP CONSTRAINT "uq:judgements.assessment_id+judgements.criterion_code""#)
                    .run()
                try await sql.raw(#"ALTER TABLE "judgements" ADD PRIMARY KEY ("assessment_id", "criterion_code")"#).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { tx in
            let sql = try tx.sql
            if sql.dialect.name == "sqlite" {
                try await sql.raw(
                    """
                    CREATE TABLE "judgements_surrogate" ("id" UUID PRIMARY KEY,
                      "assessment_id" UUID NOT NULL REFERENCES "assessments" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
                      "criterion_code" TEXT NOT NULL, "level" INTEGER, "narrative" TEXT NOT NULL, "rationale" TEXT NOT NULL,
                      "version" INTEGER NOT NULL, "updated_by" UUID REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION,
                      "updated_at" REAL, CONSTRAINT "uq:judgements.assessment_id+judgements.criterion_code" UNIQUE ("assessment_id", "criterion_code"))
                    """
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO "judgements_surrogate" SELECT upper(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-8'
                      || substr(h, 18, 3) || '-' || substr(h, 21, 12)), "assessment_id", "criterion_code", "level", "narrative", "rationale",
                      "version", "updated_by", "updated_at" FROM (SELECT hex(randomblob(16)) AS h, * FROM "judgements")
                    """
                ).run()
                try await sql.raw(#"DROP TABLE "judgements""#).run()
                try await sql.raw(#"ALTER TABLE "judgements_surrogate" RENAME TO "judgements""#).run()
            } else {
                try await sql.raw(#"ALTER TABLE "judgements" DROP CONSTRAINT "judgements_pkey""#).run()
                try await sql.raw(#"ALTER TABLE "judgements" ADD COLUMN "id" UUID NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY"#).run()
                try await sql.raw(#"ALTER TABLE "judgements" ALTER COLUMN "id" DROP DEFAULT"#).run()
                try await sql.raw(
                    #"ALTER TABLE "judgements" ADD CONSTRAINT "uq:judgements.assessment_id+judgements.criterion_code" UNIQUE ("assessment_id", "criterion_code")"#
                ).run()
            }
        }
    }
}

/// Evidence files, per assessment and criterion, each under a marking.
struct CreateEvidenceFiles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("evidence_files")
            .id()
            .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
            .field("criterion_code", .string, .required)
            .field("title", .string, .required)
            .field("filename", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("content", .data, .required)
            .field("marking_level", .string, .required)
            .field("marking_descriptors", .string, .required)
            .field("uploaded_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("uploaded_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "evidence_files_assessment").on("evidence_files").column("assessment_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("evidence_files").delete()
    }
}

/// Cycles are open or closed (a closed cycle takes no changes), and set their own deadline
/// for each tier's minimum (the framework's unless a cycle says otherwise).
struct AddCycleStatusAndDeadlines: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cycles").field("status", .string, .required, .sql(.default("open"))).update()
        try await database.schema("cycles").field("tier_deadlines", .custom("TEXT"), .required, .sql(.default("{}"))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cycles").deleteField("tier_deadlines").update()
        try await database.schema("cycles").deleteField("status").update()
    }
}
