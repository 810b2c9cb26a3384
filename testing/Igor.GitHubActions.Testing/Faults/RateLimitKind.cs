namespace Igor.GitHubActions.Testing;

/// <summary>Which GitHub rate-limit answer <see cref="FaultInjector.RateLimitNext"/> produces.</summary>
public enum RateLimitKind
{
    /// <summary>403 "You have exceeded a secondary rate limit…" with <c>retry-after</c>.</summary>
    Secondary403,

    /// <summary>429 secondary rate limit with <c>retry-after</c>.</summary>
    Secondary429,

    /// <summary>403 secondary rate limit without <c>retry-after</c> (clients should wait at least a minute).</summary>
    SecondaryWithoutRetryAfter,

    /// <summary>403 "API rate limit exceeded…" with <c>x-ratelimit-remaining: 0</c> and <c>x-ratelimit-reset</c>.</summary>
    Primary403,

    /// <summary>429 primary rate limit with <c>x-ratelimit-remaining: 0</c> and <c>x-ratelimit-reset</c>.</summary>
    Primary429,
}
