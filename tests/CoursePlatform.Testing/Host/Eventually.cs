namespace CoursePlatform.Testing;

/// <summary>Bounded polling for effects that happen in another process.</summary>
public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; returns false when <paramref name="timeout"/> passes first.</summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition()) return true;
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(250);
        }
    }
}
