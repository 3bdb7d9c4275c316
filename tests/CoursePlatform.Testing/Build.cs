using CoursePlatform.Data;
using CoursePlatform.Data.Model;

namespace CoursePlatform.Testing;

/// <summary>
/// The one set of builders for test rows: valid by default, with unique natural keys so tests sharing a
/// database never collide. They build entities only; the caller adds and saves them.
/// </summary>
public static class Build
{
    private static string Unique(int length = 12) => Guid.NewGuid().ToString("N")[..length];

    public static User User(DateTimeOffset now, UserRole role = UserRole.Learner, string? email = null) =>
        new() { Email = email ?? $"user-{Unique()}@example.com", Role = role, CreatedAt = now, UpdatedAt = now };

    public static Course Course(DateTimeOffset now, string? slug = null, string? name = null, decimal price = 0, string currency = "USD",
        bool published = true, EnrollmentMode mode = EnrollmentMode.Open, int modules = 1) => new()
    {
        Slug = slug ?? $"c-{Unique(14)}", Name = name ?? $"Course {Unique(8)}", Price = price, Currency = currency, IsPublished = published,
        EnrollmentMode = mode, ModuleCount = modules, CreatedAt = now, UpdatedAt = now,
    };

    public static Topic Topic(Course course, DateTimeOffset now, int module = 1, int number = 1, string? name = null) => new()
    {
        Course = course, ModuleNo = module, TopicNumber = number, Name = name ?? $"Topic {module}.{number}", CreatedAt = now, UpdatedAt = now,
    };

    public static Enrollment Enrollment(Guid userId, Guid courseId, DateTimeOffset now,
        EnrollmentStatus status = EnrollmentStatus.Active, EnrollmentSource source = EnrollmentSource.Free) =>
        new() { UserId = userId, CourseId = courseId, Source = source, Status = status, EnrolledAt = now };

    /// <summary>An enrolment of a course that may not be saved yet (through its navigation).</summary>
    public static Enrollment Enrollment(Guid userId, Course course, DateTimeOffset now,
        EnrollmentStatus status = EnrollmentStatus.Active, EnrollmentSource source = EnrollmentSource.Free) =>
        new() { UserId = userId, Course = course, Source = source, Status = status, EnrolledAt = now };

    /// <summary>A gradable question: <paramref name="correct"/> at <paramref name="correctAt"/> among the <paramref name="wrong"/> options.</summary>
    public static QuizQuestion QuizQuestion(Guid courseId, int module, int pair, string text, string correct, IReadOnlyList<string> wrong,
        DateTimeOffset now, int correctAt = 0, string? explanation = null)
    {
        ArgumentNullException.ThrowIfNull(wrong);
        var options = wrong.Select(w => (Text: w, Correct: false)).ToList();
        options.Insert(Math.Min(correctAt, options.Count), (correct, true));
        return new QuizQuestion
        {
            CourseId = courseId, ModuleNo = module, TopicPairIndex = pair, Question = text, Explanation = explanation, CreatedAt = now,
            Options = [.. options.Select((o, i) => new QuizOption { Text = o.Text, IsCorrect = o.Correct, DisplayOrder = i })],
        };
    }
}
