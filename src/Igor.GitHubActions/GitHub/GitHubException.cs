using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.GitHub;

/// <summary>What went wrong in a GitHub call, for the decisions that depend on it (may it be sent again? must an operator act?).</summary>
internal enum GitHubFailureKind
{
    /// <summary>GitHub does not have it (404), or no longer (410: an expired log or artifact).</summary>
    NotFound,

    /// <summary>The master's GitHub App is not installed on the repository or owner.</summary>
    NotInstalled,

    /// <summary>The master's credentials (App key, token) were rejected, or a permission is missing: an operator must fix it.</summary>
    Forbidden,

    /// <summary>GitHub refused the request with another 4xx: nothing was done, and sending it again gets the same answer.</summary>
    Refused,

    /// <summary>A rate limit stopped the request before GitHub acted on it.</summary>
    RateLimited,

    /// <summary>The request may have reached GitHub and been carried out: a 5xx, a timeout, a connection lost after sending.</summary>
    Transient,

    /// <summary>GitHub answered something the service cannot use (a download without its link): not the caller's fault, nor an operator's.</summary>
    Unexpected,
}

/// <summary>
/// A failed GitHub call: its <see cref="Kind"/>, and what GitHub answered when it answered. The status Spinnaker sees is
/// not decided here but by <see cref="IgorStatusMap"/>, one table for every GitHub call.
/// </summary>
internal sealed class GitHubException(GitHubFailureKind kind, string message, Exception? inner = null, int? gitHubStatus = null)
    : IgorException(IgorStatusMap.For(kind, gitHubStatus), message, inner)
{
    public GitHubFailureKind Kind { get; } = kind;

    /// <summary>GitHub's own status code, when the failure is an answer of GitHub's.</summary>
    public int? GitHubStatus { get; } = gitHubStatus;

    /// <summary>Whether asking again gets the same answer (nothing to retry): not found, not installed, forbidden, refused.</summary>
    public bool IsPermanent => Kind is GitHubFailureKind.NotFound or GitHubFailureKind.NotInstalled or GitHubFailureKind.Forbidden or GitHubFailureKind.Refused;
}
