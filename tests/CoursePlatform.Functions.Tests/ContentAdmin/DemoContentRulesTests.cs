using System.Text.Json.Nodes;
using CoursePlatform.DevTool;
using CoursePlatform.Functions.Features.ContentAdmin;
using CoursePlatform.Functions.Features.Lessons;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Tests.ContentAdmin;

/// <summary>The demo seed writes rows directly, past the admin services: its content must still pass their rules.</summary>
public sealed class DemoContentRulesTests
{
    [Fact]
    public async Task Everything_the_demo_seed_stores_passes_the_content_rules()
    {
        // Its own database: the seed's fixed slugs would otherwise meet the other tests' courses.
        var fresh = new DatabaseFixture();
        await fresh.InitializeAsync();
        try
        {
            await using var db = CoursePlatform.Data.CoursePlatformDb.CreateContext(fresh.ConnectionString);
            await new DemoSeed().ApplyAsync(db, new DemoSeedOptions
            {
                AdminEmail = "admin@example.com", AdminPassword = "test-only-Admin#1", TutorEmail = "tutor@example.com", TutorPassword = "test-only-Tutor#1",
            }, TimeProvider.System, CancellationToken.None);

            var errors = new Dictionary<string, string[]>();
            var topics = await db.Topics.AsNoTracking().ToListAsync();
            Assert.NotEmpty(topics);
            foreach (var t in topics)
            {
                if (LessonLayout.Parse(t.TextContent) is not null) ContentRules.ValidateLayout(JsonNode.Parse(t.TextContent!), $"{t.Name}.layout", errors);
                else ContentRules.ValidateMarkdown(t.TextContent, $"{t.Name}.text", errors);
                ContentRules.ValidateMarkdown(t.TextContentSports, $"{t.Name}.variants.sports", errors);
                ContentRules.ValidateMarkdown(t.TextContentCooking, $"{t.Name}.variants.cooking", errors);
                ContentRules.ValidateMarkdown(t.TextContentAdventure, $"{t.Name}.variants.adventure", errors);
            }
            foreach (var a in await db.TopicContentAssets.AsNoTracking().ToListAsync())
                ContentRules.ValidatePayload(a.ContentType, JsonNode.Parse(a.Payload.RootElement.GetRawText()), $"{a.TopicId}/{a.ContentKey}/{a.PersonaKey}.payload", errors);
            foreach (var s in await db.SimulationExercises.AsNoTracking().ToListAsync())
            {
                ContentRules.ValidateMarkdown(s.Instructions, $"{s.Title}.instructions", errors);
                ContentRules.ValidateFreeJson(s.Payload is null ? null : JsonNode.Parse(s.Payload.RootElement.GetRawText()), $"{s.Title}.payload", errors);
            }
            foreach (var s in await db.TopicPromptSuggestions.AsNoTracking().ToListAsync())
                ContentRules.ValidateMarkdown(s.Answer, $"{s.Prompt}.answer", errors);
            foreach (var p in await db.PageContent.AsNoTracking().ToListAsync())
                ContentRules.ValidatePage(JsonNode.Parse(p.Content.RootElement.GetRawText())!.AsObject(), $"{p.Slug}.content", errors);
            Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }
}
