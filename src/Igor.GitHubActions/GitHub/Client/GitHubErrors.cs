using System.Globalization;
using System.Net;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.Security;
using Octokit;

namespace Igor.GitHubActions.GitHub.Client;

/// <summary>
/// The one table from what GitHub answered to what Spinnaker sees (Orca retries 429, 502, 503 and 504 everywhere, and
/// fails the stage at once on other 4xx): trouble that passes → 503; a refusal only an operator can fix (credentials,
/// permissions) → 424 with the fix; GitHub's own refusals keep their 4xx. Never echoes credentials.
/// </summary>
internal static class GitHubErrors
{
    public static Exception Map(Exception exception, string master, string what) => exception switch
    {
        IgorException e => e,
        RateLimitExceededException e => new GitHubException(GitHubFailureKind.RateLimited,
            $"GitHub's rate limit for master '{master}' is used up until {e.Reset:O}; {what} will be retried", e),
        SecondaryRateLimitExceededException or AbuseException => new GitHubException(GitHubFailureKind.RateLimited,
            $"GitHub's secondary rate limit stopped {what} for master '{master}': {Pause((ApiException)exception)}; retry later", exception),
        ApiException { StatusCode: HttpStatusCode.TooManyRequests } e => new GitHubException(GitHubFailureKind.RateLimited,
            $"GitHub answered 429 (too many requests) to {what} for master '{master}': the installation's requests wait {RetryAfter(e)} s; retry later", e),
        AuthorizationException e => new GitHubException(GitHubFailureKind.Forbidden,
            $"GitHub rejected the credentials of master '{master}' ({(int)e.StatusCode}) during {what}: check GitHub:Masters' AppId and private key " +
            "(a rotated or revoked key), or its Token", e),
        ForbiddenException e => new GitHubException(GitHubFailureKind.Forbidden,
            $"GitHub refused {what} for master '{master}' (403: {SecretRedactor.RedactShapes(e.Message)}): {PermissionHint(e)}", e),
        ApiException e when (int)e.StatusCode >= 500 => new GitHubException(GitHubFailureKind.Transient,
            $"GitHub answered {(int)e.StatusCode} to {what} for master '{master}'; retry later", e, (int)e.StatusCode),
        ApiException { StatusCode: HttpStatusCode.NotFound or HttpStatusCode.Gone } e => new GitHubException(GitHubFailureKind.NotFound,
            $"GitHub does not know {what} ({(int)e.StatusCode}) for master '{master}'", e, (int)e.StatusCode),
        ApiException e when (int)e.StatusCode is >= 400 and < 500 => new GitHubException(GitHubFailureKind.Refused,
            $"GitHub refused {what}: {SecretRedactor.RedactShapes(Reason(e))}", e, (int)e.StatusCode),
        ApiException e => new GitHubException(GitHubFailureKind.Unexpected,
            $"GitHub answered {(int)e.StatusCode} to {what} for master '{master}'", e, (int)e.StatusCode),
        HttpRequestException e => new GitHubException(GitHubFailureKind.Transient,
            $"GitHub could not be reached for {what} (master '{master}'): {e.HttpRequestError}", e),
        TimeoutException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException => new GitHubException(
            GitHubFailureKind.Transient,
            $"GitHub did not answer {what} in time (master '{master}')", exception),
        _ => exception,
    };

    /// <summary>GitHub's message with the details of a validation failure ("Validation Failed" alone names nothing).</summary>
    private static string Reason(ApiException e)
    {
        var details = e.ApiError?.Errors?
            .Select(d => d.Message is { Length: > 0 } message ? message : string.Join(' ', new[] { d.Resource, d.Field, d.Code }.Where(p => !string.IsNullOrEmpty(p))))
            .Where(d => d.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToArray() ?? [];
        return details.Length == 0 ? e.Message : $"{e.Message} ({string.Join("; ", details)})";
    }

    /// <summary>How long the installation waits: the pause the service holds requests back in, or GitHub's Retry-After.</summary>
    private static string Pause(ApiException e) =>
        Header(e, RateLimitHandler.HeldBackUntilHeader) is { } until
            ? $"the service holds the installation's requests back until {until} (GitHub asked it to wait)"
            : $"the installation's requests wait {RetryAfter(e)} s";

    private static string? Header(ApiException e, string name) =>
        e.HttpResponse?.Headers is { } headers && headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)) is { Value: { Length: > 0 } value }
            ? value
            : null;

    /// <summary>GitHub's Retry-After, or the minute the service waits without one.</summary>
    private static string RetryAfter(ApiException e) =>
        Header(e, "Retry-After") is { } value && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds.ToString(CultureInfo.InvariantCulture)
            : ((long)RateLimitTracker.DefaultSecondaryPause.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>What to grant, from the header GitHub sends with a permission refusal, else the list the features need.</summary>
    private static string PermissionHint(ForbiddenException e)
    {
        var accepted = e.HttpResponse?.Headers is { } headers &&
                       headers.FirstOrDefault(h => h.Key.Equals("X-Accepted-GitHub-Permissions", StringComparison.OrdinalIgnoreCase)) is { Value: { Length: > 0 } value }
            ? value
            : null;
        return accepted is not null
            ? $"the GitHub App needs the permission {accepted}: grant it in the App's settings (Permissions & events), then accept it on the installation"
            : "check the GitHub App's permissions (actions: write, contents: read, deployments: write, statuses: write, metadata: read) and accept them on the installation";
    }
}
