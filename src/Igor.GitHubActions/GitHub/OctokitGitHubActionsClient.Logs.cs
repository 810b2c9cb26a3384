using System.Net;
using System.Net.Http.Headers;
using Igor.GitHubActions.Igor;
using Octokit;
using Polly.Timeout;

namespace Igor.GitHubActions.GitHub;

/// <summary>
/// Jobs, artifacts and downloads. Downloads bypass Octokit (which reads whole bodies into memory): the 302 is
/// requested with the installation token and the expiring blob link is followed at once without it, streamed.
/// </summary>
internal sealed partial class OctokitGitHubActionsClient
{
    public Task<IReadOnlyList<WorkflowRunInfo>> ListRepositoryRunsAsync(string owner, string repository, RunQuery query, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<WorkflowRunInfo>>(owner, repository, $"the runs of {owner}/{repository}", async client =>
        {
            var request = new WorkflowRunsRequest { HeadSha = query.HeadSha, Event = query.Event };
            var response = await client.Actions.Workflows.Runs.List(
                owner, repository, request, new ApiOptions { PageSize = query.PerPage, PageCount = 1, StartPage = query.Page }).ConfigureAwait(false);
            return response.WorkflowRuns.Select(ToRun).ToArray();
        }, cancellationToken);

    public Task<IReadOnlyList<WorkflowJobInfo>> ListJobsAsync(string owner, string repository, long runId, int attempt, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<WorkflowJobInfo>>(owner, repository, $"the jobs of run {runId} in {owner}/{repository}", async client =>
        {
            var jobs = new List<WorkflowJobInfo>();
            for (var page = 1; page <= 10; page++)
            {
                var response = await client.Actions.Workflows.Jobs.List(
                    owner, repository, runId, attempt, new ApiOptions { PageSize = 100, PageCount = 1, StartPage = page }).ConfigureAwait(false);
                jobs.AddRange(response.Jobs.Select(j => new WorkflowJobInfo(
                    j.Id, j.Name, j.Status.StringValue, j.Conclusion?.StringValue, j.HtmlUrl, j.StartedAt, j.CompletedAt,
                    (j.Steps ?? []).Select(s => new WorkflowStepInfo(s.Number, s.Name, s.Status.StringValue, s.Conclusion?.StringValue)).ToArray())));
                if (response.Jobs.Count < 100 || jobs.Count >= response.TotalCount)
                {
                    break;
                }
            }

            return jobs;
        }, cancellationToken);

    public Task<IReadOnlyList<ArtifactInfo>> ListArtifactsAsync(string owner, string repository, long runId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<ArtifactInfo>>(owner, repository, $"the artifacts of run {runId} in {owner}/{repository}", async client =>
        {
            var artifacts = new List<ArtifactInfo>();
            for (var page = 1; page <= 10; page++)
            {
                var response = await client.Actions.Artifacts.ListWorkflowArtifacts(
                    owner, repository, runId, new ListArtifactsRequest { PerPage = 100, Page = page }).ConfigureAwait(false);
                artifacts.AddRange(response.Artifacts.Select(a => new ArtifactInfo(a.Id, a.Name, a.SizeInBytes, a.Expired)));
                if (response.Artifacts.Count < 100 || artifacts.Count >= response.TotalCount)
                {
                    break;
                }
            }

            return artifacts;
        }, cancellationToken);

    public Task<Stream> OpenJobLogAsync(string owner, string repository, long jobId, CancellationToken cancellationToken) =>
        // See https://docs.github.com/rest/actions/workflow-jobs#download-job-logs-for-a-workflow-run
        DownloadAsync(owner, repository, $"repos/{Escape(owner)}/{Escape(repository)}/actions/jobs/{jobId}/logs", $"the log of job {jobId} in {owner}/{repository}", cancellationToken);

    public Task<Stream> OpenArtifactAsync(string owner, string repository, long artifactId, CancellationToken cancellationToken) =>
        // See https://docs.github.com/rest/actions/artifacts#download-an-artifact
        DownloadAsync(owner, repository, $"repos/{Escape(owner)}/{Escape(repository)}/actions/artifacts/{artifactId}/zip", $"artifact {artifactId} of {owner}/{repository}", cancellationToken);

    private async Task<Stream> DownloadAsync(string owner, string repository, string path, string what, CancellationToken cancellationToken)
    {
        try
        {
            var location = await RedirectAsync(owner, repository, new Uri(ApiBase(_master), path), what, retryOnRejectedToken: true, cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, location);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("igor-github-actions", null));
            var response = await _downloads().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                throw status is >= 500 or 429 or 403
                    ? new GitHubException(GitHubFailureKind.Transient, $"GitHub's download host answered {status} for {what}; retry later", gitHubStatus: status)
                    : new GitHubException(GitHubFailureKind.Unexpected, $"GitHub's download host answered {status} for {what}", gitHubStatus: status);
            }

            return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.GitHubCallFailed(_logger, _master.Name, what, e.GetType().Name);
            throw new GitHubException(GitHubFailureKind.Transient, $"GitHub could not be reached for {what} (master '{_master.Name}'); retry later", e);
        }
    }

    /// <summary>
    /// A 403 that is a refusal, not a rate limit: GitHub sends <c>x-ratelimit-remaining</c> on every answer, so only a
    /// <c>Retry-After</c> (secondary) or a remaining of 0 (primary) makes a 403 a limit.
    /// </summary>
    private static bool IsRefusal(HttpResponseMessage response) =>
        response.Headers.RetryAfter is null &&
        !(response.Headers.TryGetValues("X-RateLimit-Remaining", out var remaining) && remaining.FirstOrDefault() == "0");

    /// <summary>The expiring link GitHub redirects to; the API request carries the credentials, the link never does.</summary>
    private async Task<Uri> RedirectAsync(string owner, string repository, Uri api, string what, bool retryOnRejectedToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, api);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("igor-github-actions", null));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        long? installation = null;
        if (_tokenClient is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _master.Token);
        }
        else
        {
            installation = await GetInstallationAsync(owner, repository, cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens!.GetTokenAsync(installation.Value, cancellationToken).ConfigureAwait(false));
        }

        using var response = await _downloads().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Found or HttpStatusCode.MovedPermanently or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
                when response.Headers.Location is { } location:
                return location.IsAbsoluteUri ? location : new Uri(api, location);
            case HttpStatusCode.Unauthorized when retryOnRejectedToken && installation is { } id:
                Log.TokenRejected(_logger, _master.Name, id);
                _tokens!.Invalidate(id);
                return await RedirectAsync(owner, repository, api, what, retryOnRejectedToken: false, cancellationToken).ConfigureAwait(false);
            case HttpStatusCode.NotFound:
                throw new GitHubException(GitHubFailureKind.NotFound, $"GitHub does not know {what} (404) for master '{_master.Name}'", gitHubStatus: 404);
            case HttpStatusCode.Gone:
                throw new GitHubException(GitHubFailureKind.NotFound, $"{what} has expired on GitHub (410)", gitHubStatus: 410);
            case HttpStatusCode.Unauthorized:
                throw new GitHubException(GitHubFailureKind.Forbidden,
                    $"GitHub rejected the credentials of master '{_master.Name}' (401) during {what}: check GitHub:Masters' AppId and private key, or its Token");
            case HttpStatusCode.Forbidden when IsRefusal(response):
                var accepted = response.Headers.TryGetValues("X-Accepted-GitHub-Permissions", out var values) && values.FirstOrDefault() is { Length: > 0 } named
                    ? named
                    : "actions=read";
                throw new GitHubException(GitHubFailureKind.Forbidden,
                    $"GitHub refused {what} for master '{_master.Name}' (403): the GitHub App needs the permission {accepted}: " +
                    "grant it in the App's settings (Permissions & events), then accept it on the installation");
            default:
                var status = (int)response.StatusCode;
                throw status is >= 500 or 429 or 403
                    ? new GitHubException(GitHubFailureKind.Transient, $"GitHub answered {status} to {what} for master '{_master.Name}'; retry later", gitHubStatus: status)
                    : new GitHubException(GitHubFailureKind.Unexpected, $"GitHub answered {status} to {what} for master '{_master.Name}' instead of a download link", gitHubStatus: status);
        }
    }
}
