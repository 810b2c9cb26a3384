using Igor.GitHubActions.GitHub;

namespace Igor.GitHubActions.Igor.Http;

/// <summary>
/// The one table from a kind of GitHub failure to the status Spinnaker sees. Orca retries 429, 502, 503 and 504 everywhere
/// and fails the stage at once on other 4xx (contract, "Orca's retry rules"): trouble that passes is 503; a refusal only an
/// operator can fix is 424, with the fix in the message; GitHub's own refusals keep their 4xx.
/// </summary>
internal static class IgorStatusMap
{
    public static int For(GitHubFailureKind kind, int? gitHubStatus = null) => kind switch
    {
        GitHubFailureKind.NotFound => gitHubStatus == StatusCodes.Status410Gone ? StatusCodes.Status410Gone : StatusCodes.Status404NotFound,
        GitHubFailureKind.NotInstalled => StatusCodes.Status409Conflict,
        GitHubFailureKind.Forbidden => StatusCodes.Status424FailedDependency,
        GitHubFailureKind.Refused => gitHubStatus is >= 400 and < 500 and not StatusCodes.Status429TooManyRequests ? gitHubStatus.Value : StatusCodes.Status422UnprocessableEntity,
        GitHubFailureKind.RateLimited or GitHubFailureKind.Transient => StatusCodes.Status503ServiceUnavailable,
        GitHubFailureKind.Unexpected => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status503ServiceUnavailable,
    };

    /// <summary>
    /// A dispatch GitHub refused: its 404 means the workflow or ref is not there for a dispatch (a workflow without
    /// <c>workflow_dispatch</c> on the default branch), which the stage's input must change: 422 rather than "no such build".
    /// </summary>
    public static int ForRefusedDispatch(IgorException e) =>
        e.StatusCode == StatusCodes.Status404NotFound ? StatusCodes.Status422UnprocessableEntity : e.StatusCode;

    /// <summary>A queue item that failed without a recorded status: its dispatch could not be made as asked.</summary>
    public const int FailedDispatch = StatusCodes.Status422UnprocessableEntity;

    /// <summary>A queue item ended before GitHub started its run (cancelled first, or given up on): Orca reads 410 as "gone".</summary>
    public const int EndedDispatch = StatusCodes.Status410Gone;
}
