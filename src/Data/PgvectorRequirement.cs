namespace CoursePlatform.Data;

/// <summary>
/// The app needs pgvector >= 0.8: search sets <c>hnsw.iterative_scan</c>, which older versions do not know, so every
/// search would fail at run time. The initial migration and <c>DevTool app-role</c> run this check, so a deployment to
/// an older server stops with a message that says what to do instead.
/// </summary>
public static class PgvectorRequirement
{
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
}
