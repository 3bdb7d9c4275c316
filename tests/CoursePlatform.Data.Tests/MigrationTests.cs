using CoursePlatform.Data;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace CoursePlatform.Data.Tests;

public class MigrationTests
{
    private static readonly string[] ProductTables =
    [
        "users", "user_sessions", "tutors", "tutor_applications", "course_tutors",
        "courses", "topics", "simulation_exercises", "page_content", "topic_content_assets",
        "cohorts", "cohort_members", "cohort_batch_projects",
        "cold_call_prompts", "cold_call_messages", "cold_call_stars",
        "course_chunks", "cp_rag_chat_sessions", "cp_rag_chat_messages",
        "topic_personalization", "learner_persona_profiles", "topic_prompt_suggestions", "module_prompt_usage",
        "topic_progress", "quiz_questions", "quiz_options", "quiz_attempts", "module_progress",
        "enrollments", "cart_items", "cart_lines",
        // added by the platform for its features
        "content_ingestions", "auth_login_states", "auth_login_codes", "rate_limit_counters", "password_setup_tokens", "admin_audit_entries",
    ];

    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_create_every_table_of_the_product()
    {
        var name = $"cp_test_empty_{Guid.NewGuid():N}";
        await TestDatabases.ExecuteAdminAsync($"CREATE DATABASE \"{name}\"");
        try
        {
            await using var db = CoursePlatformDb.CreateContext(TestDatabases.ConnectionStringFor(name));
            Assert.Empty(await db.Database.GetAppliedMigrationsAsync());

            await db.Database.MigrateAsync();

            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var tables = await db.Database
                .SqlQueryRaw<string>("SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public'")
                .ToListAsync();
            Assert.All(ProductTables, t => Assert.Contains(t, tables));
            var vector = await db.Database
                .SqlQueryRaw<string>("SELECT extversion AS \"Value\" FROM pg_extension WHERE extname = 'vector'")
                .SingleAsync();
            Assert.StartsWith("0.8", vector);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await TestDatabases.ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    [Fact]
    public async Task The_halfvec_index_migration_replaces_the_vector_index_and_reverts_cleanly()
    {
        var name = $"cp_test_halfvec_{Guid.NewGuid():N}";
        await TestDatabases.ExecuteAdminAsync($"CREATE DATABASE \"{name}\"");
        try
        {
            await using var db = CoursePlatformDb.CreateContext(TestDatabases.ConnectionStringFor(name));
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261207020306_InitialSchema");
            Assert.Equal(["ix_course_chunks_embedding: vector_cosine_ops"], await HnswIndexesAsync(db));

            await migrator.MigrateAsync("20261207061503_HalfvecEmbeddingIndex");
            Assert.Equal(["ix_course_chunks_embedding_halfvec: halfvec_cosine_ops"], await HnswIndexesAsync(db));

            await migrator.MigrateAsync("20261207020306_InitialSchema");
            Assert.Equal(["ix_course_chunks_embedding: vector_cosine_ops"], await HnswIndexesAsync(db));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await TestDatabases.ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }

        static Task<List<string>> HnswIndexesAsync(CoursePlatformDbContext db) => db.Database.SqlQueryRaw<string>("""
            SELECT i.relname || ': ' || o.opcname AS "Value"
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_am a ON a.oid = i.relam
            JOIN pg_opclass o ON o.oid = x.indclass[0]
            WHERE x.indrelid = 'course_chunks'::regclass AND a.amname = 'hnsw'
            """).ToListAsync();
    }

    [Fact]
    public void The_model_has_no_changes_missing_from_the_migrations()
    {
        using var db = CoursePlatformDb.CreateContext(CoursePlatformDb.LocalConnectionString);
        Assert.False(db.Database.HasPendingModelChanges(),
            "The EF model differs from the last migration: run `dotnet ef migrations add <Name> --project src/Data`.");
    }
}
