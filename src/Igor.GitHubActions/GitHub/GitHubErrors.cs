using System.Globalization;
using System.Net;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Security;
using Octokit;

namespace Igor.GitHubActions.GitHub;

/// <summary>
/// Maps what GitHub answered to what Spinnaker should do: retry (503), fail at once with GitHub's reason
/// (4xx other than 404), or fix the configuration (502 with what to fix). Never echoes credentials.
/// </summary>
internal static class GitHubErrors
{
    public static Exception Map(Exception exception, string master, string what) => exception switch
    {
        IgorException e => e,
        RateLimitExceededException e => IgorException.Unavailable(
            $"GitHub's rate limit for master '{master}' is used up until {e.Reset:O}; {what} will be retried", e),
        SecondaryRateLimitExceededException e => IgorException.Unavailable(
            $"GitHub's secondary rate limit stopped {what} for master '{master}'; retry later", e),
        AbuseException e => IgorException.Unavailable(
            $"GitHub's secondary rate limit stopped {what} for master '{master}'; retry after {e.RetryAfterSeconds?.ToString(CultureInfo.InvariantCulture) ?? "60"} s", e),
        AuthorizationException e => IgorException.BadGateway(
            $"GitHub rejected the credentials of master '{master}' ({(int)e.StatusCode}) during {what}: check its App id and private key, or its token", e),
        ForbiddenException e => IgorException.BadGateway(
            $"GitHub refused {what} for master '{master}' (403: {SecretRedactor.RedactShapes(e.Message)}): check the App's permissions (actions: write, contents: read, deployments: write, metadata: read)", e),
        ApiException { StatusCode: HttpStatusCode.TooManyRequests } e => IgorException.Unavailable(
            $"GitHub answered 429 (too many requests) to {what} for master '{master}'; retry later", e),
        ApiException e when (int)e.StatusCode >= 500 => IgorException.Unavailable(
            $"GitHub answered {(int)e.StatusCode} to {what} for master '{master}'; retry later", e),
        ApiException { StatusCode: HttpStatusCode.NotFound } e => IgorException.NotFound(
            $"GitHub does not know {what} (404) for master '{master}'"),
        ApiException e => new IgorException(
            (int)e.StatusCode is >= 400 and < 500 ? (int)e.StatusCode : StatusCodes.Status502BadGateway,
            $"GitHub refused {what}: {SecretRedactor.RedactShapes(e.Message)}", e),
        HttpRequestException e => IgorException.Unavailable(
            $"GitHub could not be reached for {what} (master '{master}'): {e.HttpRequestError}", e),
        TimeoutException or TaskCanceledException => IgorException.Unavailable(
            $"GitHub did not answer {what} in time (master '{master}')", exception),
        _ => exception,
    };
}
