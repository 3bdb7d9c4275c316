using System.Threading.RateLimiting;
using CoursePlatform.Functions.Infrastructure.Problems;

namespace CoursePlatform.Functions.Features.Search;

/// <summary>
/// Searches per caller on this instance: a bucket of <see cref="Burst"/> refilled at <see cref="PerSecond"/> a second.
/// Each search embeds its question on the instance's CPU, so one caller's script must not starve everyone else's
/// searches there; in memory, so it costs no round trip (a limit across instances would need one, as the tutor's does).
/// </summary>
public sealed class SearchThrottle : IDisposable
{
    public const int Burst = 20;
    public const int PerSecond = 1;

    private readonly PartitionedRateLimiter<Guid> limiter = PartitionedRateLimiter.Create<Guid, Guid>(caller =>
        RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Burst, TokensPerPeriod = PerSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>429 with <c>Retry-After</c> once the caller's bucket is empty.</summary>
    public void Require(Guid callerId)
    {
        using var lease = limiter.AttemptAcquire(callerId);
        if (lease.IsAcquired) return;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        throw ProblemException.TooManyRequests(retryAfter,
            $"Rate limit: at most {Burst} searches at once and {PerSecond * 60} a minute after that; wait a moment.");
    }

    public void Dispose() => limiter.Dispose();
}
