using System.Text.Json;
using CoursePlatform.Data.Model;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using static CoursePlatform.Data.Tests.TestData;

namespace CoursePlatform.Data.Tests;

public class RoundTripTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Every_enum_value_round_trips_and_is_stored_as_its_lower_snake_label()
    {
        var course = Course();
        var topic = Topic(course);
        var users = Enum.GetValues<UserRole>().Select(User).ToList();
        await using (var db = database.CreateContext())
        {
            db.AddRange(users);
            db.AddRange(Enum.GetValues<LearnerPersona>().Select(p => new TopicContentAsset
            {
                Topic = topic, ContentKey = $"key-{p}", PersonaKey = p, ContentType = ContentType.Ppt, Payload = Json("{}"), CreatedAt = Now, UpdatedAt = Now,
            }));
            db.AddRange(Enum.GetValues<ProgressStatus>().Select((s, i) => new TopicProgress
            {
                User = users[0], Topic = Topic(course, module: 2, number: i + 1), Status = s, Progress = 0.25, UpdatedAt = Now,
            }));
            await db.SaveChangesAsync();
        }

        await using var read = database.CreateContext();
        var personas = await read.TopicContentAssets.Where(a => a.TopicId == topic.Id).Select(a => a.PersonaKey).ToListAsync();
        Assert.Equal(Enum.GetValues<LearnerPersona>().Cast<LearnerPersona?>().Order(), personas.Order());
        var roles = await read.Users.Where(u => users.Select(x => x.Id).Contains(u.Id)).Select(u => u.Role).ToListAsync();
        Assert.Equal(Enum.GetValues<UserRole>().Order(), roles.Order());

        // The labels in PostgreSQL are the spec's lower_snake values.
        var labels = await read.Database.SqlQueryRaw<string>(
            "SELECT persona_key::text AS \"Value\" FROM topic_content_assets WHERE topic_id = {0}", topic.Id).ToListAsync();
        Assert.Equal(["english_hesitant", "last_minute_panic", "non_it_migrant", "pseudo_coder", "rote_memorizer"], labels.Order());
        var statuses = await read.Database.SqlQueryRaw<string>(
            "SELECT status::text AS \"Value\" FROM topic_progress WHERE user_id = {0}", users[0].Id).ToListAsync();
        Assert.Equal(["completed", "in_progress", "not_started"], statuses.Order());
    }

    [Fact]
    public async Task Jsonb_payloads_round_trip_and_can_be_queried_in_the_database()
    {
        var topic = Topic(Course());
        const string payload = """{"markdown":"Cloud **basics**","tags":["a","b"],"nested":{"n":1.5,"ok":true,"none":null}}""";
        await using (var db = database.CreateContext())
        {
            db.Add(new TopicContentAsset { Topic = topic, ContentKey = "intro", ContentType = ContentType.Text, Payload = Json(payload), CreatedAt = Now, UpdatedAt = Now });
            await db.SaveChangesAsync();
        }

        await using var read = database.CreateContext();
        var asset = await read.TopicContentAssets.AsNoTracking().SingleAsync(a => a.TopicId == topic.Id);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(payload).RootElement, asset.Payload.RootElement));
        var columnType = await read.Database.SqlQueryRaw<string>(
            "SELECT data_type AS \"Value\" FROM information_schema.columns WHERE table_name = 'topic_content_assets' AND column_name = 'payload'").SingleAsync();
        Assert.Equal("jsonb", columnType);
        var markdown = await read.Database.SqlQueryRaw<string>(
            "SELECT payload->>'markdown' AS \"Value\" FROM topic_content_assets WHERE topic_id = {0}", topic.Id).SingleAsync();
        Assert.Equal("Cloud **basics**", markdown);
    }
}
