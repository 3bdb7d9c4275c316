using System.Text.Json;
using CoursePlatform.Data.Model;
using CoursePlatform.Testing;
using Pgvector;

namespace CoursePlatform.Data.Tests;

/// <summary>
/// The schema tests' rows, on a fixed clock: users, courses and topics come from the shared <see cref="Build"/>;
/// the rest are rows only these tests make.
/// </summary>
internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static string Unique() => Guid.NewGuid().ToString("N")[..12];

    public static JsonDocument Json(string json) => JsonDocument.Parse(json);

    public static User User(UserRole role = UserRole.Learner) => Build.User(Now, role);

    public static Course Course(EnrollmentMode mode = EnrollmentMode.Open) => Build.Course(Now, price: 49.99m, mode: mode);

    public static Topic Topic(Course course, int module = 1, int number = 1) => Build.Topic(course, Now, module, number);

    public static Cohort Cohort(Course course) => new() { Course = course, Name = "Cohort " + Unique(), CreatedAt = Now, UpdatedAt = Now };

    public static UserSession Session(User user) => new()
    {
        User = user, FamilyId = Guid.NewGuid(), RefreshTokenHash = Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray(),
        CreatedAt = Now, ExpiresAt = Now.AddDays(30),
    };

    public static CourseChunk Chunk(Course course, int position, float[] embedding, string source = "deck.pptx") => new()
    {
        Course = course, Source = source, Position = position, Content = $"passage {position}",
        EmbeddingModel = "test-model", Embedding = new Vector(embedding), CreatedAt = Now,
    };

    /// <summary>A deterministic unit vector of the store's dimension, mostly along <paramref name="axis"/>.</summary>
    public static float[] Embedding(int axis, float noise = 0f, int seed = 0)
    {
        var random = new Random(seed);
        var v = new float[CourseChunk.EmbeddingDimensions];
        for (var i = 0; i < v.Length; i++) v[i] = noise * (float)(random.NextDouble() - 0.5);
        v[axis % v.Length] += 1f;
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        for (var i = 0; i < v.Length; i++) v[i] /= norm;
        return v;
    }

    /// <summary>A unit vector whose cosine similarity to the unit vector <paramref name="query"/> is exactly <paramref name="similarity"/>.</summary>
    public static float[] EmbeddingAt(float[] query, double similarity, int seed)
    {
        var random = new Random(seed);
        // A random direction with its component along the query removed...
        var r = new double[query.Length];
        for (var i = 0; i < r.Length; i++) r[i] = random.NextDouble() - 0.5;
        var along = r.Select((x, i) => x * query[i]).Sum();
        for (var i = 0; i < r.Length; i++) r[i] -= along * query[i];
        var norm = Math.Sqrt(r.Sum(x => x * x));
        // ...mixed with the query in the proportion that gives the wanted angle.
        var orthogonal = Math.Sqrt(1 - similarity * similarity);
        return query.Select((q, i) => (float)(similarity * q + orthogonal * r[i] / norm)).ToArray();
    }
}
