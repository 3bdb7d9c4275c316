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
    public async Task Cosine_nearest_neighbours_come_back_in_order_through_the_hnsw_index()
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

        // The plan of the same kind of query uses the HNSW index rather than a sequential scan.
        var plan = await ExplainAsync(db, query);
        Assert.Contains("ix_course_chunks_embedding", plan);
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

    private static async Task<string> ExplainAsync(CoursePlatformDbContext db, Vector query)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand(
            "EXPLAIN SELECT id FROM course_chunks ORDER BY embedding <=> $1 LIMIT 5", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = query });
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}
