using System.Diagnostics.CodeAnalysis;
using Xunit;

namespace CoursePlatform.Testing;

/// <summary>
/// The set-up most feature tests share: the app's real container over the class's own database (cloned from the
/// migrated template), disposed with the test class.
/// </summary>
public abstract class AppTest(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IDisposable
{
    [SuppressMessage("Design", "CA1051:Do not declare visible instance fields", Justification = "Tests read it as a plain field, as before the base class.")]
    protected readonly TestApp app = new(database);

    /// <summary>The class's database, for a second app with other settings.</summary>
    protected DatabaseFixture Database { get; } = database;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) app.Dispose();
    }
}
