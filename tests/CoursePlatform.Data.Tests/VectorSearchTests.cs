using CoursePlatform.Data.Model;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Pgvector;
using Pgvector.EntityFrameworkCore;
using static CoursePlatform.Data.Tests.TestData;

namespace CoursePlatform.Data.Tests;

public class VectorSearchTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const int FillerRows = 3000;

    [Fact]
    public async Task Cosine_nearest_neighbours_come_back_in_order_and_the_hnsw_index_serves_the_halfvec_order()
    {
        await using var db = database.CreateContext();
        var course = Course();
        // Thousands of passages, then three at known angles to the query, all nearer than the rest.
        var q = Embedding(7);
        db.Add(course);
        await db.SaveChangesAsync();
        await BulkInsertFiller(db, course.Id, q);
        db.AddRange(
            Chunk(course, 0, q),
            Chunk(course, 1, EmbeddingAt(q, 0.9, seed: 1)),
            Chunk(course, 2, EmbeddingAt(q, 0.75, seed: 2)));
        await db.SaveChangesAsync();
        await db.Database.ExecuteSqlRawAsync("ANALYZE course_chunks");

        var query = new Vector(q);
        var nearest = await db.CourseChunks.AsNoTracking()
            .Where(c => c.CourseId == course.Id && c.EmbeddingModel == "test-model")
            .OrderBy(c => c.Embedding.CosineDistance(query))
            .Select(c => new { c.Position, Distance = c.Embedding.CosineDistance(query) })
            .Take(3)
            .ToListAsync();

        Assert.Equal([0, 1, 2], nearest.Select(n => n.Position));
        Assert.Equal([0.0, 0.1, 0.25], nearest.Select(n => Math.Round(n.Distance, 4)));

        // The plan of the same kind of query, ordered by the index's halfvec expression, uses the HNSW index rather
        // than a sequential scan; ordered by the vector itself it cannot (no vector index is left).
        Assert.Contains("Index Scan using ix_course_chunks_embedding_halfvec", await ExplainAsync(db, query, "embedding::halfvec(384) <=> $1::halfvec(384)"));
        Assert.DoesNotContain("Index Scan", await ExplainAsync(db, query, "embedding <=> $1"));
    }

    [Fact]
    public async Task The_embeddings_hnsw_index_is_on_their_halfvec_cast_and_the_vector_index_is_gone()
    {
        await using var db = database.CreateContext();
        var indexes = await db.Database
            .SqlQueryRaw<string>("SELECT indexname || ': ' || indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'course_chunks' AND indexdef LIKE '%hnsw%'")
            .ToListAsync();

        Assert.Equal(
            "ix_course_chunks_embedding_halfvec: CREATE INDEX ix_course_chunks_embedding_halfvec ON public.course_chunks USING hnsw (((embedding)::halfvec(384)) halfvec_cosine_ops) WITH (m='16', ef_construction='128')",
            Assert.Single(indexes));
        // The column keeps full precision: exact searches and reported distances use it.
        Assert.Equal("vector(384)", await db.Database
            .SqlQueryRaw<string>("SELECT format_type(atttypid, atttypmod) AS \"Value\" FROM pg_attribute WHERE attrelid = 'course_chunks'::regclass AND attname = 'embedding'")
            .SingleAsync());
    }

    [Fact]
    public async Task A_chunks_vector_stays_in_its_row_so_a_distance_reads_no_toast_pages()
    {
        await using var db = database.CreateContext();
        var course = Course();
        db.Add(course);
        await db.SaveChangesAsync();
        // 700 characters of text and a 1.5 kB vector: over the 2 kB at which PostgreSQL moves values out of a row. With
        // pgvector's default storage (EXTERNAL) the vector went to the TOAST table, and an exact search read every
        // distance through the TOAST index (several pages per row); stored PLAIN it stays in the heap page.
        var text = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"word{i}"));
        var chunks = Enumerable.Range(0, Rows).Select(i => Chunk(course, i, Embedding(i % 384, noise: 0.1f, seed: i))).ToList();
        foreach (var chunk in chunks) chunk.Content = text;
        db.AddRange(chunks);
        await db.SaveChangesAsync();

        Assert.Equal("p", await db.Database
            .SqlQueryRaw<string>("SELECT attstorage::text AS \"Value\" FROM pg_attribute WHERE attrelid = 'course_chunks'::regclass AND attname = 'embedding'")
            .SingleAsync());
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand(
            "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT max(embedding <=> $1) FROM course_chunks WHERE course_id = $2", connection)
        {
            Parameters = { new() { Value = new Vector(Embedding(0)) }, new() { Value = course.Id } },
        };
        var plan = (string)(await explain.ExecuteScalarAsync())!;
        var top = System.Text.Json.JsonDocument.Parse(plan).RootElement[0].GetProperty("Plan");
        var pages = top.GetProperty("Shared Hit Blocks").GetInt32() + top.GetProperty("Shared Read Blocks").GetInt32();
        Assert.True(pages < Rows, $"{pages} pages read for {Rows} distances: the vectors are not in their rows");
    }

    private const int Rows = 60;

    [Fact]
    public async Task The_full_text_index_merges_each_insert_at_once()
    {
        // With GIN's default fastupdate, new entries wait in a pending list that every lookup scans whole until a vacuum.
        await using var db = database.CreateContext();
        Assert.Equal("{fastupdate=off}", await db.Database
            .SqlQueryRaw<string>("SELECT reloptions::text AS \"Value\" FROM pg_class WHERE relname = 'ix_course_chunks_content_search'")
            .SingleAsync());
    }

    /// <summary>
    /// Less similar chunks (cosine similarity -0.2..0.6 to the query, a spread like real text's) via
    /// binary COPY.
    /// </summary>
    private static async Task BulkInsertFiller(CoursePlatformDbContext db, Guid courseId, float[] query)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY course_chunks (id, course_id, source, position, content, embedding_model, embedding, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            writer.Timeout = TimeSpan.FromMinutes(10); // each row goes into the HNSW index: slow beside the other test assemblies
            for (var i = 0; i < FillerRows; i++)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(courseId, NpgsqlDbType.Uuid);
                await writer.WriteAsync("filler.txt", NpgsqlDbType.Varchar);
                await writer.WriteAsync(i, NpgsqlDbType.Integer);
                await writer.WriteAsync($"filler {i}", NpgsqlDbType.Text);
                await writer.WriteAsync("test-model", NpgsqlDbType.Varchar);
                await writer.WriteAsync(new Vector(EmbeddingAt(query, -0.2 + 0.8 * i / FillerRows, seed: 1000 + i)));
                await writer.WriteAsync(Now, NpgsqlDbType.TimestampTz);
            }
            await writer.CompleteAsync();
        }
    }

    private static async Task<string> ExplainAsync(CoursePlatformDbContext db, Vector query, string distance)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand(
            $"EXPLAIN SELECT id FROM course_chunks ORDER BY {distance} LIMIT 5", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = query });
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}
