using Igor.GitHubActions.Configuration;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.GitHub.Client;

/// <summary>Sends <c>X-GitHub-Api-Version</c> on every GitHub request (Octokit does not).</summary>
internal sealed class GitHubApiVersionHandler(IOptions<GitHubOptions> options) : DelegatingHandler
{
    public const string HeaderName = "X-GitHub-Api-Version";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(HeaderName);
        request.Headers.TryAddWithoutValidation(HeaderName, options.Value.ApiVersion);
        return base.SendAsync(request, cancellationToken);
    }
}
