using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoursePlatform.Data.Migrations
{
    /// <summary>
    /// Refuses a server whose pgvector is older than 0.8: search sets <c>hnsw.iterative_scan</c>, which older versions
    /// do not know, so every search would fail at run time. Failing here stops the deployment (the migration hook of
    /// <c>azd up</c>) with a message that says what to do instead. No model change, hence no target model.
    /// </summary>
    [DbContext(typeof(CoursePlatformDbContext))]
    [Migration("20261207001000_RequirePgvector08")]
    public partial class RequirePgvector08 : Migration
    {
        /// <summary>The check, also run by <c>DevTool app-role</c>; raises an error naming the installed version.</summary>
        public const string CheckSql = """
            DO $$
            DECLARE installed text := (SELECT extversion FROM pg_extension WHERE extname = 'vector');
            BEGIN
              IF installed IS NULL
                 OR string_to_array(regexp_replace(installed, '[^0-9.].*$', ''), '.')::int[] < ARRAY[0, 8] THEN
                RAISE EXCEPTION 'pgvector % is installed, the app needs pgvector >= 0.8 (hnsw.iterative_scan). Run ALTER EXTENSION vector UPDATE where the server offers 0.8, or move to a server version that does (see infra/bicep/README.md).',
                  coalesce(installed, '(none)');
              END IF;
            END $$;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(CheckSql);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
