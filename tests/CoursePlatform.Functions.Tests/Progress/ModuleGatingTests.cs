using CoursePlatform.Functions.Features.Progress;

namespace CoursePlatform.Functions.Tests.Progress;

public class ModuleGatingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static ModuleFacts Module(int no, DateTimeOffset? passed = null, DateTimeOffset? cooldown = null, int topics = 4, int pairsWithQuestions = 2) =>
        new(no, topics, pairsWithQuestions, passed, cooldown);

    [Fact]
    public void Module_1_is_open_and_the_next_waits_for_a_pass()
    {
        var states = ModuleGating.Evaluate([Module(1), Module(2), Module(3)], Now);

        Assert.Equal([true, false, false], states.Select(s => s.Unlocked));
        Assert.Equal(LockReason.PreviousModuleNotPassed, states[1].LockReason);
    }

    [Fact]
    public void Passing_a_module_opens_the_next_one_only()
    {
        var states = ModuleGating.Evaluate([Module(1, passed: Now.AddDays(-1)), Module(2), Module(3)], Now);

        Assert.Equal([true, true, false], states.Select(s => s.Unlocked));
        Assert.True(states[0].Passed);
    }

    [Fact]
    public void A_running_cooldown_keeps_the_next_module_shut_until_it_ends()
    {
        var modules = new[] { Module(1, passed: Now.AddDays(-2), cooldown: Now.AddHours(1)), Module(2) };

        var during = ModuleGating.Evaluate(modules, Now);
        var after = ModuleGating.Evaluate(modules, Now.AddHours(1).AddSeconds(1));

        Assert.Equal((false, LockReason.PreviousModuleCooldown), (during[1].Unlocked, during[1].LockReason));
        Assert.Equal(Now.AddHours(1), during[0].CooldownUntil);
        Assert.True(after[1].Unlocked);
        Assert.Null(after[0].CooldownUntil);
    }

    [Fact]
    public void A_module_whose_quiz_cannot_be_passed_is_reported_and_does_not_lock_the_next_forever()
    {
        // 3 topics = 2 pairs; only one pair has questions.
        var states = ModuleGating.Evaluate([Module(1, topics: 3, pairsWithQuestions: 1), Module(2), Module(3)], Now);

        Assert.True(states[0].Misconfigured);
        Assert.True(states[1].Unlocked);
        Assert.False(states[2].Unlocked);
    }

    [Fact]
    public void A_misconfigured_module_that_is_locked_itself_opens_nothing_after_it()
    {
        // Module 2 cannot be passed, but module 1 is not passed either: module 3 stays shut, for module 1's reason.
        var states = ModuleGating.Evaluate([Module(1), Module(2, topics: 3, pairsWithQuestions: 1), Module(3)], Now);

        Assert.Equal([true, false, false], states.Select(s => s.Unlocked));
        Assert.Equal(LockReason.PreviousModuleNotPassed, states[2].LockReason);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(0, 0)]
    public void A_pair_covers_two_consecutive_topics(int topics, int pairs) => Assert.Equal(pairs, Module(1, topics: topics).PairCount);
}
