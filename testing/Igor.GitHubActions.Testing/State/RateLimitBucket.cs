namespace Igor.GitHubActions.Testing.State;

/// <summary>A primary rate-limit window of one token, installation or client address.</summary>
internal sealed class RateLimitBucket
{
    public required string Key { get; init; }

    public required int Limit { get; set; }

    public int Used { get; set; }

    public DateTimeOffset Reset { get; set; }

    public int Remaining => Math.Max(0, Limit - Used);
}
