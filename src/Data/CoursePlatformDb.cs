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
        MapEnums(new DataSourceEnums(builder));
        return builder;
    }

    private static void Configure(NpgsqlDbContextOptionsBuilder npgsql)
    {
        npgsql.UseVector();
        npgsql.MigrationsHistoryTable("__ef_migrations_history");
        MapEnums(new ContextEnums(npgsql));
    }

    /// <summary>
    /// The PostgreSQL enums, listed once: both the data source (which reads and writes them) and EF (which describes
    /// them to the model) need the same list, and a type missing from either fails only at run time.
    /// </summary>
    private static void MapEnums(IEnumMapping map)
    {
        map.Map<UserRole>("user_role");
        map.Map<EnrollmentMode>("enrollment_mode");
        map.Map<ContentType>("content_type");
        map.Map<LearnerPersona>("tutor_persona");
        map.Map<StudyPersona>("study_persona");
        map.Map<ChatRole>("chat_role");
        map.Map<ProgressStatus>("progress_status");
        map.Map<EnrollmentSource>("enrollment_source");
        map.Map<EnrollmentStatus>("enrollment_status");
        map.Map<TutorApplicationStatus>("tutor_application_status");
        map.Map<IngestionStatus>("ingestion_status");
        map.Map<OrderStatus>("order_status");
    }

    private interface IEnumMapping
    {
        void Map<TEnum>(string name) where TEnum : struct, Enum;
    }

    private sealed class DataSourceEnums(NpgsqlDataSourceBuilder builder) : IEnumMapping
    {
        public void Map<TEnum>(string name) where TEnum : struct, Enum => builder.MapEnum<TEnum>(name);
    }

    private sealed class ContextEnums(NpgsqlDbContextOptionsBuilder options) : IEnumMapping
    {
        public void Map<TEnum>(string name) where TEnum : struct, Enum => options.MapEnum<TEnum>(name);
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
