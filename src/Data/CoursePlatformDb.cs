using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;
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

    /// <summary>
    /// The context over a data source the caller built (<see cref="CreateDataSourceBuilder"/>), for what a connection
    /// string cannot say: the app's Entra ID token as a periodically refreshed password.
    /// </summary>
    public static TBuilder UseCoursePlatformDatabase<TBuilder>(this TBuilder options, NpgsqlDataSource dataSource)
        where TBuilder : DbContextOptionsBuilder
    {
        options.UseNpgsql(dataSource, Configure).UseSnakeCaseNamingConvention();
        return options;
    }

    /// <summary>
    /// A data source builder with the type mappings the context needs. EF maps enums and pgvector on a data source it
    /// builds itself; one built outside EF must carry them too (the EF options only describe them to the model).
    /// </summary>
    public static NpgsqlDataSourceBuilder CreateDataSourceBuilder(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseVector();
        builder.MapEnum<UserRole>("user_role");
        builder.MapEnum<EnrollmentMode>("enrollment_mode");
        builder.MapEnum<ContentType>("content_type");
        builder.MapEnum<LearnerPersona>("tutor_persona");
        builder.MapEnum<StudyPersona>("study_persona");
        builder.MapEnum<ChatRole>("chat_role");
        builder.MapEnum<ProgressStatus>("progress_status");
        builder.MapEnum<EnrollmentSource>("enrollment_source");
        builder.MapEnum<EnrollmentStatus>("enrollment_status");
        builder.MapEnum<TutorApplicationStatus>("tutor_application_status");
        builder.MapEnum<IngestionStatus>("ingestion_status");
        return builder;
    }

    private static void Configure(NpgsqlDbContextOptionsBuilder npgsql)
    {
        npgsql.UseVector();
        npgsql.MigrationsHistoryTable("__ef_migrations_history");
        npgsql.MapEnum<UserRole>("user_role");
        npgsql.MapEnum<EnrollmentMode>("enrollment_mode");
        npgsql.MapEnum<ContentType>("content_type");
        npgsql.MapEnum<LearnerPersona>("tutor_persona");
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
