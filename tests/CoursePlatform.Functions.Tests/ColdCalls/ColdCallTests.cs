using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Features.ColdCalls;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using static CoursePlatform.Testing.TestApp;

namespace CoursePlatform.Functions.Tests.ColdCalls;

/// <summary>Cold calls against real PostgreSQL: blind responses, cohort walls, replies, stars and moderation.</summary>
public sealed class ColdCallTests(DatabaseFixture database) : AppTest(database)
{
    private sealed record Scene(Course Course, Topic Topic, ColdCallPrompt Prompt, ColdCallPrompt Other, Cohort CohortA,
        User Ana, User Ben, User Cara, User Dan, User Stranger, User Tutor, User Admin);

    /// <summary>Cohort A (Ana, Ben) and B (Cara) active, C (Dan) inactive; a stranger enrolled without a cohort; the course's tutor.</summary>
    private async Task<Scene> ArrangeAsync()
    {
        var now = app.Clock.GetUtcNow();
        var course = await app.CourseAsync(EnrollmentMode.Cohort, topics: 1);
        var topic = await app.Db(db => db.Topics.SingleAsync(t => t.CourseId == course.Id));
        var (ana, ben, cara, dan, stranger) = (await app.CreateUserAsync(), await app.CreateUserAsync(), await app.CreateUserAsync(), await app.CreateUserAsync(), await app.CreateUserAsync());
        var a = await app.CohortAsync(course, members: [(ana.Email, 1), (ben.Email, 1)]);
        var b = await app.CohortAsync(course, members: [(cara.Email, 1)]);
        var c = await app.CohortAsync(course, active: false, members: [(dan.Email, 1)]);
        var tutor = await app.CreateUserAsync(UserRole.Tutor);
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var prompt = new ColdCallPrompt { TopicId = topic.Id, DisplayOrder = 1, Prompt = "Where would you put the database?", CreatedAt = now };
        var other = new ColdCallPrompt { TopicId = topic.Id, DisplayOrder = 2, Prompt = "And the web tier?", CreatedAt = now };
        await app.Db(db =>
        {
            db.ColdCallPrompts.AddRange(prompt, other);
            foreach (var (user, cohort) in new[] { (ana, a), (ben, a), (cara, b), (dan, c) })
            {
                var enrollment = Build.Enrollment(user.Id, course.Id, now, source: EnrollmentSource.Cohort);
                enrollment.CohortId = cohort.Id;
                db.Enrollments.Add(enrollment);
            }
            db.Enrollments.Add(Build.Enrollment(stranger.Id, course.Id, now, source: EnrollmentSource.Admin));
            var profile = new Data.Model.Tutor { UserId = tutor.Id, CreatedAt = now };
            db.Tutors.Add(profile);
            db.CourseTutors.Add(new CourseTutor { CourseId = course.Id, Tutor = profile, AssignedAt = now });
            return db.SaveChangesAsync();
        });
        return new Scene(course, topic, prompt, other, a, ana, ben, cara, dan, stranger, tutor, admin);
    }

    private Task<ColdCallMessageDto> Post(User user, ColdCallPrompt prompt, string content, Guid? parent = null) =>
        app.Run<ColdCallService, ColdCallMessageDto>(s => s.PostAsync(As(user), prompt.Id, new PostMessageRequest(content, parent), default));

    private Task<PagedList<ColdCallMessageDto>> Thread(User user, ColdCallPrompt prompt, Guid? cohort = null) =>
        app.Run<ColdCallService, PagedList<ColdCallMessageDto>>(s => s.ThreadAsync(As(user), prompt.Id, cohort, new PageRequest(1, 50), default));

    private Task<IReadOnlyList<ColdCallPromptDto>> Prompts(User user, Topic topic) =>
        app.Run<ColdCallService, IReadOnlyList<ColdCallPromptDto>>(s => s.PromptsAsync(As(user), topic.Id, default));

    private static async Task<ProblemException> Problem(HttpStatusCode status, Func<Task> action)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(action);
        Assert.Equal(status, problem.Status);
        return problem;
    }

    [Fact]
    public async Task An_author_who_closes_their_account_leaves_tombstones_where_others_replied_and_nothing_else()
    {
        var s = await ArrangeAsync();
        var root = await Post(s.Ana, s.Prompt, "In a private subnet.");
        var benRoot = await Post(s.Ben, s.Prompt, "Mine is a managed service.");
        var reply = await Post(s.Ben, s.Prompt, "Why not a managed service?", root.Id);
        var answered = await Post(s.Ana, s.Prompt, "Cost, mostly.", reply.Id);
        var fair = await Post(s.Ben, s.Prompt, "Fair.", answered.Id);
        var alone = await Post(s.Ana, s.Prompt, "And backups.", root.Id);
        var ownRootOnly = await Post(s.Ana, s.Other, "Behind a load balancer.");

        await app.Run<AccountService>(x => x.DeleteAsync(s.Ana.Id, default));

        var thread = (await Thread(s.Ben, s.Prompt)).Items;
        // Ana's root and her answered reply stay as tombstones, so Ben's replies keep their thread.
        Assert.Equal(new[] { root.Id, benRoot.Id, reply.Id, answered.Id, fair.Id }.Order(), thread.Select(m => m.Id).Order());
        Assert.All(thread.Where(m => m.Id == root.Id || m.Id == answered.Id), m =>
            Assert.Equal(((Guid?)null, (string?)null, ColdCallAuthors.DeletedContent), (m.UserId, m.AuthorName, m.Content)));
        Assert.All(thread.Where(m => m.Id != root.Id && m.Id != answered.Id), m => Assert.Equal(s.Ben.Id, m.UserId));
        // Her childless reply and her unanswered root response are gone.
        Assert.False(await app.Db(db => db.ColdCallMessages.AnyAsync(m => m.Id == alone.Id || m.Id == ownRootOnly.Id)));
        Assert.False(await app.Db(db => db.Users.AnyAsync(u => u.Id == s.Ana.Id)));
    }

    [Fact]
    public async Task Responses_are_blind_until_one_answers_and_never_cross_a_cohort()
    {
        var s = await ArrangeAsync();
        await Post(s.Ana, s.Prompt, "In a private subnet.");

        // Ben has not answered: no thread, and the prompt list shows nobody else's text or count.
        Assert.Equal(ProblemCodes.BlindResponseRequired, (await Problem(HttpStatusCode.Forbidden, () => Thread(s.Ben, s.Prompt))).Code);
        var before = (await Prompts(s.Ben, s.Topic))[0];
        Assert.Equal((false, (OwnResponseDto?)null, (int?)null), (before.Revealed, before.OwnResponse, before.ResponseCount));

        await Post(s.Ben, s.Prompt, "Behind a security group.");
        var thread = await Thread(s.Ben, s.Prompt);
        Assert.Equal(["In a private subnet.", "Behind a security group."], thread.Items.Select(m => m.Content));
        Assert.Equal((true, 2), ((await Prompts(s.Ben, s.Topic))[0].Revealed, (await Prompts(s.Ben, s.Topic))[0].ResponseCount!.Value));

        // Cara answers in cohort B and sees only B.
        await Post(s.Cara, s.Prompt, "Cohort B thinks alike.");
        Assert.Equal(["Cohort B thinks alike."], (await Thread(s.Cara, s.Prompt)).Items.Select(m => m.Content));
        Assert.DoesNotContain((await Thread(s.Ana, s.Prompt)).Items, m => m.Content.StartsWith("Cohort B", StringComparison.Ordinal));

        var stranger = await Problem(HttpStatusCode.Forbidden, () => Post(s.Stranger, s.Prompt, "Me too?"));
        Assert.Contains("cohorts", stranger.Detail, StringComparison.Ordinal);
        Assert.Equal(ProblemCodes.NotInCohort, stranger.Code);
        var inactive = await Problem(HttpStatusCode.Forbidden, () => Prompts(s.Dan, s.Topic));
        Assert.Contains("not active", inactive.Detail, StringComparison.Ordinal);
        Assert.Equal(ProblemCodes.CohortInactive, inactive.Code);
        Assert.Equal(ProblemCodes.AlreadyResponded, (await Problem(HttpStatusCode.Conflict, () => Post(s.Ana, s.Prompt, "A second answer."))).Code);

        // The tutor sees every cohort, and can filter one.
        Assert.Equal(3, (await Thread(s.Tutor, s.Prompt)).Total);
        Assert.Equal(2, (await Thread(s.Tutor, s.Prompt, s.CohortA.Id)).Total);
    }

    [Fact]
    public async Task Replies_come_after_ones_own_response_stay_in_the_prompt_and_cohort_and_keep_their_root()
    {
        var s = await ArrangeAsync();
        var root = await Post(s.Ana, s.Prompt, "In a private subnet.");
        await Problem(HttpStatusCode.Forbidden, () => Post(s.Ben, s.Prompt, "Why?", root.Id));
        await Post(s.Ben, s.Prompt, "Behind a security group.");

        var reply = await Post(s.Ben, s.Prompt, "Why private?", root.Id);
        var nested = await Post(s.Ana, s.Prompt, "No public address.", reply.Id);
        Assert.Equal((root.Id, root.Id), (reply.RootId!.Value, nested.RootId!.Value));
        Assert.Equal(reply.Id, nested.ParentId);

        var otherPrompt = await Post(s.Ana, s.Other, "Public subnet.");
        await Problem(HttpStatusCode.NotFound, () => Post(s.Ana, s.Prompt, "Cross-prompt", otherPrompt.Id));
        var caras = await Post(s.Cara, s.Prompt, "Cohort B.");
        await Problem(HttpStatusCode.NotFound, () => Post(s.Ana, s.Prompt, "Cross-cohort", caras.Id));
        await Problem(HttpStatusCode.BadRequest, () => Post(s.Ana, s.Prompt, "   ", root.Id));
        var tutorReply = await Post(s.Tutor, s.Prompt, "Good thinking.", caras.Id);
        Assert.Equal(caras.CohortId, tutorReply.CohortId);
    }

    [Fact]
    public async Task Stars_toggle_once_per_user_never_on_ones_own_and_counts_show_on_others_messages_only()
    {
        var s = await ArrangeAsync();
        var anas = await Post(s.Ana, s.Prompt, "In a private subnet.");
        await Post(s.Ben, s.Prompt, "Behind a security group.");
        Task<StarDto> Star(User user) => app.Run<ColdCallService, StarDto>(x => x.ToggleStarAsync(As(user), anas.Id, default));

        Assert.True((await Star(s.Ben)).Starred);
        Assert.False((await Star(s.Ben)).Starred);
        await Problem(HttpStatusCode.Forbidden, () => Star(s.Ana));
        await Problem(HttpStatusCode.NotFound, () => Star(s.Cara)); // another cohort's message does not exist for her

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ => { try { await Star(s.Ben); } catch (DbUpdateException) { } }));
        Assert.InRange(await app.Db(db => db.ColdCallStars.CountAsync(x => x.MessageId == anas.Id)), 0, 1);

        await app.Db(async db => await db.ColdCallStars.Where(x => x.MessageId == anas.Id).ExecuteDeleteAsync());
        await Star(s.Ben);
        var seenByBen = (await Thread(s.Ben, s.Prompt)).Items.Single(m => m.Id == anas.Id);
        var seenByAna = (await Thread(s.Ana, s.Prompt)).Items.Single(m => m.Id == anas.Id);
        Assert.Equal((1, true), (seenByBen.StarCount!.Value, seenByBen.StarredByMe));
        Assert.Null(seenByAna.StarCount); // the author does not see the count of their own message
    }

    [Fact]
    public async Task Staff_hide_a_message_from_learners_and_authors_delete_replies_but_not_a_response_with_replies()
    {
        var s = await ArrangeAsync();
        var anas = await Post(s.Ana, s.Prompt, "Something rude.");
        await Post(s.Ben, s.Prompt, "Behind a security group.");

        await Problem(HttpStatusCode.Forbidden, () => app.Run<ColdCallService, ColdCallMessageDto>(x => x.SetHiddenAsync(As(s.Ben), anas.Id, true, default)));
        var hidden = await app.Run<ColdCallService, ColdCallMessageDto>(x => x.SetHiddenAsync(As(s.Tutor), anas.Id, true, default));
        Assert.Equal((app.Clock.GetUtcNow(), s.Tutor.Id), (hidden.HiddenAt!.Value, hidden.HiddenById!.Value));

        Assert.DoesNotContain((await Thread(s.Ben, s.Prompt)).Items, m => m.Id == anas.Id);
        var forTutor = (await Thread(s.Tutor, s.Prompt)).Items.Single(m => m.Id == anas.Id);
        Assert.Equal(s.Tutor.Id, forTutor.HiddenById);
        var kept = await Problem(HttpStatusCode.Conflict, () => app.Run<ColdCallService>(x => x.DeleteOwnAsync(As(s.Ana), anas.Id, default)));
        Assert.Contains("hidden", kept.Detail, StringComparison.Ordinal);
        Assert.Equal(ProblemCodes.MessageNotDeletable, kept.Code);
        await app.Run<ColdCallService, ColdCallMessageDto>(x => x.SetHiddenAsync(As(s.Admin), anas.Id, false, default));
        Assert.Contains((await Thread(s.Ben, s.Prompt)).Items, m => m.Id == anas.Id);

        var reply = await Post(s.Ben, s.Prompt, "Please rephrase.", anas.Id);
        await Problem(HttpStatusCode.Conflict, () => app.Run<ColdCallService>(x => x.DeleteOwnAsync(As(s.Ana), anas.Id, default)));
        await Problem(HttpStatusCode.NotFound, () => app.Run<ColdCallService>(x => x.DeleteOwnAsync(As(s.Ana), reply.Id, default)));
        await app.Run<ColdCallService>(x => x.DeleteOwnAsync(As(s.Ben), reply.Id, default));
        Assert.Equal(2, (await Thread(s.Ben, s.Prompt)).Items.Count);
    }

    [Fact]
    public async Task Ids_of_another_course_answer_like_ids_that_do_not_exist()
    {
        // Before: an existing prompt or message answered 403 (enrol first, staff only), a made-up id 404.
        var s = await ArrangeAsync();
        var anas = await Post(s.Ana, s.Prompt, "In a private subnet.");
        var outsider = await app.CreateUserAsync();
        foreach (var (prompt, message) in new[] { (s.Prompt.Id, anas.Id), (Guid.NewGuid(), Guid.NewGuid()) })
        {
            await Problem(HttpStatusCode.NotFound, () => app.Run<ColdCallService, PagedList<ColdCallMessageDto>>(x => x.ThreadAsync(As(outsider), prompt, null, new PageRequest(1, 50), default)));
            await Problem(HttpStatusCode.NotFound, () => app.Run<ColdCallService, ColdCallMessageDto>(x => x.PostAsync(As(outsider), prompt, new PostMessageRequest("Hi", null), default)));
            await Problem(HttpStatusCode.NotFound, () => app.Run<ColdCallService, StarDto>(x => x.ToggleStarAsync(As(outsider), message, default)));
            await Problem(HttpStatusCode.NotFound, () => app.Run<ColdCallService, ColdCallMessageDto>(x => x.SetHiddenAsync(As(outsider), message, true, default)));
            // A learner of the course, in another cohort: the message is not theirs to see either.
            await Problem(HttpStatusCode.NotFound, () => app.Run<ColdCallService, ColdCallMessageDto>(x => x.SetHiddenAsync(As(s.Cara), message, true, default)));
        }
    }

    [Fact]
    public async Task A_response_stays_once_it_opened_the_thread_so_nobody_answers_again_after_reading()
    {
        // The bypass: post "x", read every answer, delete it, post a polished answer.
        var s = await ArrangeAsync();
        await Post(s.Ana, s.Prompt, "In a private subnet, behind a security group, with no public address.");
        var placeholder = await Post(s.Ben, s.Prompt, "x");
        Assert.Equal(2, (await Thread(s.Ben, s.Prompt)).Total);

        var kept = await Problem(HttpStatusCode.Conflict, () => app.Run<ColdCallService>(x => x.DeleteOwnAsync(As(s.Ben), placeholder.Id, default)));
        Assert.Equal(ProblemCodes.MessageNotDeletable, kept.Code);
        Assert.Contains("opened the thread", kept.Detail, StringComparison.Ordinal);
        Assert.Equal(ProblemCodes.AlreadyResponded, (await Problem(HttpStatusCode.Conflict, () => Post(s.Ben, s.Prompt, "A polished answer."))).Code);
        Assert.Equal("x", (await Prompts(s.Ben, s.Topic))[0].OwnResponse!.Content);

        // A reply without replies may still go.
        var reply = await Post(s.Ben, s.Prompt, "Why no public address?", placeholder.Id);
        await app.Run<ColdCallService>(x => x.DeleteOwnAsync(As(s.Ben), reply.Id, default));
    }

    [Fact]
    public async Task A_learner_moved_to_another_cohort_answers_there_before_reading_its_thread()
    {
        var s = await ArrangeAsync();
        await Post(s.Cara, s.Prompt, "Cohort B's answer.");
        await Post(s.Ana, s.Prompt, "Cohort A's answer.");
        Assert.Single((await Thread(s.Ana, s.Prompt)).Items);

        // An admin moves Ana from cohort A to cohort B.
        var b = await app.Db(db => db.CohortMembers.Where(m => m.Email == s.Cara.Email).Select(m => m.CohortId).SingleAsync());
        await app.Db(async db =>
        {
            await db.CohortMembers.Where(m => m.Email == s.Ana.Email).ExecuteDeleteAsync();
            db.CohortMembers.Add(new CohortMember { CohortId = b, Email = s.Ana.Email, BatchNo = 1, CreatedAt = app.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
            return await db.Enrollments.Where(e => e.UserId == s.Ana.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.CohortId, b));
        });

        var blind = await Problem(HttpStatusCode.Forbidden, () => Thread(s.Ana, s.Prompt));
        Assert.Equal(ProblemCodes.BlindResponseRequired, blind.Code);
        var prompt = (await Prompts(s.Ana, s.Topic))[0];
        Assert.Equal((false, (OwnResponseDto?)null, (int?)null), (prompt.Revealed, prompt.OwnResponse, prompt.ResponseCount));
        var caras = (await Thread(s.Cara, s.Prompt)).Items.Single();
        await Problem(HttpStatusCode.Forbidden, () => Post(s.Ana, s.Prompt, "Me too.", caras.Id));
        await Problem(HttpStatusCode.Forbidden, () => app.Run<ColdCallService, StarDto>(x => x.ToggleStarAsync(As(s.Ana), caras.Id, default)));

        var answer = await Post(s.Ana, s.Prompt, "My answer in cohort B.");
        Assert.Equal(b, answer.CohortId);
        Assert.Equal(["Cohort B's answer.", "My answer in cohort B."], (await Thread(s.Ana, s.Prompt)).Items.Select(m => m.Content));
        Assert.Equal(answer.Id, (await Prompts(s.Ana, s.Topic))[0].OwnResponse!.Id);
        Assert.Equal(ProblemCodes.AlreadyResponded, (await Problem(HttpStatusCode.Conflict, () => Post(s.Ana, s.Prompt, "Again."))).Code);
        Assert.Equal(["Cohort A's answer."], (await Thread(s.Tutor, s.Prompt, s.CohortA.Id)).Items.Select(m => m.Content)); // it stays where it was given
    }

    [Fact]
    public async Task Replies_under_a_hidden_message_are_hidden_with_it()
    {
        var s = await ArrangeAsync();
        var anas = await Post(s.Ana, s.Prompt, "Something rude.");
        var bens = await Post(s.Ben, s.Prompt, "Behind a security group.");
        var reply = await Post(s.Ben, s.Prompt, "Quoting it: something rude.", anas.Id);
        var nested = await Post(s.Ana, s.Prompt, "And again.", reply.Id);
        var elsewhere = await Post(s.Ana, s.Prompt, "A fair point.", bens.Id);

        await app.Run<ColdCallService, ColdCallMessageDto>(x => x.SetHiddenAsync(As(s.Tutor), anas.Id, true, default));
        var seen = (await Thread(s.Ben, s.Prompt)).Items.Select(m => m.Id).ToList();
        Assert.Equal([bens.Id, elsewhere.Id], seen);
        Assert.Equal(2, (await Thread(s.Ben, s.Prompt)).Total);
        Assert.Equal(5, (await Thread(s.Tutor, s.Prompt)).Total); // staff still see the whole thread
        await Problem(HttpStatusCode.NotFound, () => Post(s.Ben, s.Prompt, "Replying under it anyway.", nested.Id));
        await Problem(HttpStatusCode.NotFound, () => app.Run<ColdCallService, StarDto>(x => x.ToggleStarAsync(As(s.Ben), nested.Id, default)));

        // Hiding a reply hides what answers it, not its parent.
        await app.Run<ColdCallService, ColdCallMessageDto>(x => x.SetHiddenAsync(As(s.Tutor), anas.Id, false, default));
        await app.Run<ColdCallService, ColdCallMessageDto>(x => x.SetHiddenAsync(As(s.Tutor), reply.Id, true, default));
        Assert.Equal([anas.Id, bens.Id, elsewhere.Id], (await Thread(s.Ben, s.Prompt)).Items.Select(m => m.Id));
    }
}
