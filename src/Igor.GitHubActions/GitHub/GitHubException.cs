using Igor.GitHubActions.Igor;

namespace Igor.GitHubActions.GitHub;

/// <summary>What went wrong in a GitHub call, for the decisions that depend on it (may a dispatch be sent again?).</summary>
internal enum GitHubFailureKind
{
    /// <summary>GitHub refused the request with a 4xx: nothing was done, and sending it again gets the same answer.</summary>
    Refused,

    /// <summary>The master's credentials (App key, token) were rejected, or a permission is missing: an operator must fix it.</summary>
    CredentialsOrPermission,

    /// <summary>A rate limit stopped the request before GitHub acted on it.</summary>
    RateLimited,

    /// <summary>The request may have reached GitHub and been carried out: a 5xx, a timeout, a connection lost after sending.</summary>
    OutcomeUnknown,
}

/// <summary>A failed GitHub call, with the status Orca should see and the kind of failure behind it.</summary>
internal sealed class GitHubException(GitHubFailureKind kind, int statusCode, string message, Exception? inner = null)
    : IgorException(statusCode, message, inner)
{
    public GitHubFailureKind Kind { get; } = kind;
}
