using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace CoursePlatform.Data;

/// <summary>The one place that says how the context talks to PostgreSQL: enums, pgvector, naming.</summary>
public static class CoursePlatformDb
{
    /// <summary>Used by <c>dotnet ef</c> when no connection string is given; matches scripts/common.sh.</summary>
    public const string LocalConnectionString =
        "Host=127.0.0.1;Port=54329;Database=courseplatform;Username=postgres;Password=postgres";

    public static TBuilder UseCoursePlatformDatabase<TBuilder>(this TBuilder options, string connectionString)
        where TBuilder : DbContextOptionsBuilder
    {
        options.UseNpgsql(connectionString, Configure).UseSnakeCaseNamingConvention();
        return options;
    }

    private static void Configure(NpgsqlDbContextOptionsBuilder npgsql)
    {
        npgsql.UseVector();
        npgsql.MigrationsHistoryTable("__ef_migrations_history");
        npgsql.MapEnum<UserRole>("user_role");
        npgsql.MapEnum<EnrollmentMode>("enrollment_mode");
        npgsql.MapEnum<ContentType>("content_type");
        npgsql.MapEnum<TutorPersona>("tutor_persona");
        npgsql.MapEnum<StudyPersona>("study_persona");
        npgsql.MapEnum<ChatRole>("chat_role");
        npgsql.MapEnum<ProgressStatus>("progress_status");
        npgsql.MapEnum<EnrollmentSource>("enrollment_source");
        npgsql.MapEnum<EnrollmentStatus>("enrollment_status");
        npgsql.MapEnum<TutorApplicationStatus>("tutor_application_status");
        npgsql.MapEnum<IngestionStatus>("ingestion_status");
        npgsql.MapEnum<OrderStatus>("order_status");
    }

    public static CoursePlatformDbContext CreateContext(string connectionString) =>
        new(new DbContextOptionsBuilder<CoursePlatformDbContext>().UseCoursePlatformDatabase(connectionString).Options);
}

/// <summary>Lets <c>dotnet ef</c> build the context; the connection string comes from COURSEPLATFORM_DB or the local default.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<CoursePlatformDbContext>
{
    public CoursePlatformDbContext CreateDbContext(string[] args) =>
        CoursePlatformDb.CreateContext(Environment.GetEnvironmentVariable("COURSEPLATFORM_DB") ?? CoursePlatformDb.LocalConnectionString);
}
