using System.Linq.Expressions;
using System.Text.Json.Serialization;
using CoursePlatform.Data.Model;

namespace CoursePlatform.Functions.Features.Progress;

/// <summary>What gating needs to know about one module of a course for one learner.</summary>
public sealed record ModuleFacts(int ModuleNo, int TopicCount, int PairsWithQuestions, DateTimeOffset? PassedAt, DateTimeOffset? CooldownUntil)
{
    public int PairCount => TopicPairs.Count(TopicCount);

    /// <summary>A pair without questions can never be passed: the module must say so, not stay locked.</summary>
    public bool Misconfigured => PairCount > 0 && PairsWithQuestions < PairCount;

    /// <summary>
    /// The facts of a module from the distinct pair indexes that have a gradable question: only the module's real
    /// pairs count, since questions filed under a pair it does not have cannot be taken.
    /// </summary>
    public static ModuleFacts Of(int moduleNo, int topicCount, IEnumerable<int> gradablePairs, DateTimeOffset? passedAt, DateTimeOffset? cooldownUntil) =>
        new(moduleNo, topicCount, gradablePairs.Count(p => p <= TopicPairs.Count(topicCount)), passedAt, cooldownUntil);
}

/// <summary>
/// The topic-pair rules (docs/product.md): a module's quiz has one section per pair of consecutive topics, and a
/// pair counts only with gradable questions. Gating and the quiz engine both take them from here.
/// </summary>
public static class TopicPairs
{
    /// <summary>Pair p covers the module's topics at positions 2p-1 and 2p (by topic number).</summary>
    public static int Of(int position) => (position + 1) / 2;

    /// <summary>ceil(topics / 2) pairs.</summary>
    public static int Count(int topicCount) => (topicCount + 1) / 2;

    /// <summary>A question that can be graded: two options or more, at least one of them correct.</summary>
    public static readonly Expression<Func<QuizQuestion, bool>> Gradable =
        q => q.Options.Count >= 2 && q.Options.Any(o => o.IsCorrect);
}

public enum LockReason { PreviousModuleNotPassed, PreviousModuleCooldown }

/// <summary><c>CooldownUntil</c> is set only while the cooldown runs; <c>PairCount</c> is for the quiz engine, not the API.</summary>
public sealed record ModuleState(
    int ModuleNo, bool Unlocked, LockReason? LockReason, bool Passed, DateTimeOffset? CooldownUntil, bool Misconfigured,
    [property: JsonIgnore] int PairCount);

/// <summary>
/// Module gating (docs/product.md): module 1 is always open; module N opens when module N-1 is passed and no
/// cooldown runs on it. A module whose quiz cannot be passed (a pair without questions) is reported as
/// misconfigured and does not hold the next one shut, unless it is locked itself.
/// </summary>
public static class ModuleGating
{
    public static IReadOnlyList<ModuleState> Evaluate(IReadOnlyList<ModuleFacts> modules, DateTimeOffset now)
    {
        var states = new List<ModuleState>(modules.Count);
        ModuleFacts? previous = null;
        foreach (var module in modules.OrderBy(m => m.ModuleNo))
        {
            var cooldown = module.CooldownUntil > now ? module.CooldownUntil : null;
            LockReason? reason = previous switch
            {
                null => null,
                // It does not hold the next one shut, but it passes on its own lock: no skipping past a locked module.
                { Misconfigured: true } => states[^1].LockReason,
                { PassedAt: null } => Progress.LockReason.PreviousModuleNotPassed,
                { CooldownUntil: { } until } when until > now => Progress.LockReason.PreviousModuleCooldown,
                _ => null,
            };
            states.Add(new ModuleState(module.ModuleNo, reason is null, reason, module.PassedAt is not null, cooldown, module.Misconfigured, module.PairCount));
            previous = module;
        }
        return states;
    }
}
