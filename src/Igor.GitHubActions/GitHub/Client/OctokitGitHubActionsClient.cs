using System.Globalization;
using System.Net;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.GitHub.Dispatch;
using Igor.GitHubActions.Igor.Http;
using Octokit;
using Octokit.Internal;

namespace Igor.GitHubActions.GitHub.Client;

/// <summary>
/// One master's GitHub through Octokit, behind <see cref="IGitHubActionsClient"/>: repositories, workflows, runs, jobs,
/// logs and artifacts here; deployments (<see cref="OctokitDeployments"/>) and reconciliation (<see cref="OctokitDeliveries"/>)
/// beside it; authentication and the failure mapping in <see cref="OctokitConnection"/>.
/// </summary>
internal sealed class OctokitGitHubActionsClient : IGitHubActionsClient, IDisposable
{
    private readonly OctokitConnection _connection;
    private readonly OctokitDeployments _deployments;
    private readonly OctokitDeliveries _deliveries;
    private readonly MasterOptions _master;
    private readonly GitHubOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _repositoryListLock = new(1, 1);
    private (IReadOnlyList<string> Repositories, DateTimeOffset At)? _repositories;
    private string? _dispatcherLogin;

    public OctokitGitHubActionsClient(
        MasterOptions master, GitHubOptions options, Func<IHttpClient> http, TimeProvider time, RateLimitTracker rateLimits, ILogger logger,
        Func<HttpClient> downloads)
    {
        _master = master;
        _options = options;
        _time = time;
        _connection = new OctokitConnection(master, options, http, time, rateLimits, logger, downloads);
        _deployments = new OctokitDeployments(_connection);
        _deliveries = new OctokitDeliveries(_connection);
    }

    public async Task<IReadOnlyList<string>> ListRepositoriesAsync(CancellationToken cancellationToken)
    {
        if (_repositories is { } cached && _time.GetUtcNow() - cached.At < _options.WorkflowCacheDuration)
        {
            return cached.Repositories;
        }

        await _repositoryListLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_repositories is { } fresh && _time.GetUtcNow() - fresh.At < _options.WorkflowCacheDuration)
            {
                return fresh.Repositories;
            }

            var allowlist = new RepositoryAllowlist(_master.Repositories);
            var repositories = new SortedSet<string>(allowlist.Repositories, StringComparer.OrdinalIgnoreCase);
            foreach (var owner in allowlist.Owners)
            {
                foreach (var name in await _connection.ListInstalledRepositoriesAsync(owner, cancellationToken).ConfigureAwait(false))
                {
                    repositories.Add(name);
                }
            }

            var list = repositories.ToArray();
            _repositories = (list, _time.GetUtcNow());
            return list;
        }
        finally
        {
            _repositoryListLock.Release();
        }
    }

    public Task<RepositoryInfo> GetRepositoryAsync(string owner, string repository, CancellationToken cancellationToken) =>
        _connection.CallAsync(owner, repository, $"repository {owner}/{repository}", async client =>
        {
            var repo = await client.Repository.Get(owner, repository).ConfigureAwait(false);
            return new RepositoryInfo(repo.Owner.Login, repo.Name, repo.DefaultBranch, repo.HtmlUrl);
        }, cancellationToken);

    public Task<IReadOnlyList<WorkflowInfo>> ListWorkflowsAsync(string owner, string repository, CancellationToken cancellationToken) =>
        _connection.CallAsync<IReadOnlyList<WorkflowInfo>>(owner, repository, $"the workflows of {owner}/{repository}", async client =>
        {
            var workflows = new List<WorkflowInfo>();
            for (var page = 1; ; page++)
            {
                var response = await client.Actions.Workflows
                    .List(owner, repository, new ApiOptions { PageSize = 100, PageCount = 1, StartPage = page })
                    .ConfigureAwait(false);
                workflows.AddRange(response.Workflows.Select(w =>
                    new WorkflowInfo(w.Id, w.Name, w.Path, w.State.StringValue, w.HtmlUrl)));
                if (response.Workflows.Count < 100 || workflows.Count >= response.TotalCount)
                {
                    return workflows;
                }
            }
        }, cancellationToken);

    public async Task<string?> GetFileAsync(string owner, string repository, string path, string gitRef, CancellationToken cancellationToken)
    {
        try
        {
            return await _connection.CallAsync(owner, repository, $"{path} at {gitRef} in {owner}/{repository}", async client =>
            {
                // The JSON form (base64 content) rather than the raw media type: it caches with its ETag like any other GET.
                var contents = await client.Repository.Content.GetAllContentsByRef(owner, repository, path, gitRef).ConfigureAwait(false);
                return contents.Count == 1 && contents[0].Content is { } text ? text : null;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubException e) when (e.Kind == GitHubFailureKind.NotFound)
        {
            return null;
        }
    }

    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_connection.AppClient is not null)
            {
                // The App's declared permissions: without these nothing can be started or followed, so health is DOWN.
                var app = await _connection.AppClient.GitHubApps.GetCurrent().WaitAsync(cancellationToken).ConfigureAwait(false);
                var missing = OctokitConnection.MissingPermissions(app.Permissions);
                if (missing.Count > 0)
                {
                    return $"the GitHub App {_master.AppId} of master '{_master.Name}' lacks the permission{(missing.Count > 1 ? "s" : "")} " +
                           $"{string.Join(", ", missing)}: grant {(missing.Count > 1 ? "them" : "it")} in the App's settings (Permissions & events), then accept on the installation";
                }
            }
            else
            {
                var first = _master.Repositories[0].Split('/');
                await GetRepositoryAsync(first[0], first[1], cancellationToken).ConfigureAwait(false);
            }

            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var mapped = GitHubErrors.Map(e, _master.Name, "the health probe");
            return mapped is IgorException ? mapped.Message : $"GitHub could not be reached: {e.GetType().Name}";
        }
    }

    public Task<DispatchOutcome> DispatchWorkflowAsync(
        string owner, string repository, string workflowFile, string gitRef, IReadOnlyDictionary<string, string> inputs,
        bool returnRunDetails, CancellationToken cancellationToken) =>
        _connection.CallAsync(owner, repository, $"the dispatch of {workflowFile} in {owner}/{repository}", async client =>
        {
            // See https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event
            var uri = new Uri($"repos/{Escape(owner)}/{Escape(repository)}/actions/workflows/{Escape(workflowFile)}/dispatches", UriKind.Relative);
            var inputObject = inputs.ToDictionary(i => i.Key, i => (object)i.Value);
            object body = returnRunDetails
                ? new { Ref = gitRef, Inputs = inputObject, ReturnRunDetails = true }
                : new { Ref = gitRef, Inputs = inputObject };
            try
            {
                var response = await client.Connection.Post<Dictionary<string, object>>(
                    uri, body, "application/vnd.github+json", "application/json", parameters: null, cancellationToken).ConfigureAwait(false);
                var runId = response.Body is { } result && result.TryGetValue("workflow_run_id", out var id)
                    ? Convert.ToInt64(id, CultureInfo.InvariantCulture)
                    : (long?)null;
                return new DispatchOutcome(runId, false);
            }
            catch (ApiException e) when (returnRunDetails && e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity &&
                                         (e.Message.Contains("return_run_details", StringComparison.OrdinalIgnoreCase) ||
                                          e.ApiError?.Errors?.Any(x => x.Field == "return_run_details") == true))
            {
                return new DispatchOutcome(null, true);
            }
        }, cancellationToken);

    public Task DispatchRepositoryAsync(
        string owner, string repository, string eventType, IReadOnlyDictionary<string, string> clientPayload, CancellationToken cancellationToken) =>
        _connection.CallAsync(owner, repository, $"the repository_dispatch '{eventType}' to {owner}/{repository}", async client =>
        {
            // See https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event
            var uri = new Uri($"repos/{Escape(owner)}/{Escape(repository)}/dispatches", UriKind.Relative);
            var payload = clientPayload.ToDictionary(i => i.Key, i => (object)i.Value);
            await client.Connection.Post(uri, new { EventType = eventType, ClientPayload = payload }, "application/vnd.github+json", cancellationToken)
                .ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public async Task<string> GetDispatcherLoginAsync(CancellationToken cancellationToken)
    {
        if (_dispatcherLogin is { } known)
        {
            return known;
        }

        try
        {
            var login = _connection.AppClient is not null
                ? (await _connection.AppClient.GitHubApps.GetCurrent().WaitAsync(cancellationToken).ConfigureAwait(false)).Slug + "[bot]"
                : (await _connection.TokenClient!.User.Current().WaitAsync(cancellationToken).ConfigureAwait(false)).Login;
            _dispatcherLogin = login;
            return login;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw GitHubErrors.Map(e, _master.Name, "the login the master dispatches as");
        }
    }

    public Task<WorkflowRunInfo> GetRunAsync(string owner, string repository, long runId, CancellationToken cancellationToken) =>
        _connection.CallAsync(owner, repository, $"run {runId} of {owner}/{repository}", async client =>
            ToRun(await client.Actions.Workflows.Runs.Get(owner, repository, runId).ConfigureAwait(false)), cancellationToken);

    public Task<IReadOnlyList<WorkflowRunInfo>> ListRunsAsync(
        string owner, string repository, string workflowFile, RunQuery query, CancellationToken cancellationToken) =>
        _connection.CallAsync<IReadOnlyList<WorkflowRunInfo>>(owner, repository, $"the runs of {workflowFile} in {owner}/{repository}", async client =>
        {
            var request = new WorkflowRunsRequest
            {
                Event = query.Event,
                HeadSha = query.HeadSha,
                Branch = query.Branch,
                Actor = query.Actor,
                Created = query.CreatedAfter is { } after ? ">=" + after.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : null,
            };
            var response = await client.Actions.Workflows.Runs.ListByWorkflow(
                owner, repository, workflowFile, request,
                new ApiOptions { PageSize = query.PerPage, PageCount = 1, StartPage = query.Page }).ConfigureAwait(false);
            return response.WorkflowRuns.Select(ToRun).ToArray();
        }, cancellationToken);

    public Task<bool> CancelRunAsync(string owner, string repository, long runId, bool force, CancellationToken cancellationToken) =>
        _connection.CallAsync(owner, repository, $"the cancel of run {runId} in {owner}/{repository}", async client =>
        {
            try
            {
                // See https://docs.github.com/rest/actions/workflow-runs#force-cancel-a-workflow-run
                var uri = new Uri($"repos/{Escape(owner)}/{Escape(repository)}/actions/runs/{runId}/{(force ? "force-cancel" : "cancel")}", UriKind.Relative);
                await client.Connection.Post(uri, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                return false;
            }
        }, cancellationToken);

    public Task<IReadOnlyList<WorkflowRunInfo>> ListRepositoryRunsAsync(string owner, string repository, RunQuery query, CancellationToken cancellationToken) =>
        _connection.CallAsync<IReadOnlyList<WorkflowRunInfo>>(owner, repository, $"the runs of {owner}/{repository}", async client =>
        {
            var request = new WorkflowRunsRequest { HeadSha = query.HeadSha, Event = query.Event };
            var response = await client.Actions.Workflows.Runs.List(
                owner, repository, request, new ApiOptions { PageSize = query.PerPage, PageCount = 1, StartPage = query.Page }).ConfigureAwait(false);
            return response.WorkflowRuns.Select(ToRun).ToArray();
        }, cancellationToken);

    public Task<IReadOnlyList<WorkflowJobInfo>> ListJobsAsync(string owner, string repository, long runId, int attempt, CancellationToken cancellationToken) =>
        _connection.CallAsync<IReadOnlyList<WorkflowJobInfo>>(owner, repository, $"the jobs of run {runId} in {owner}/{repository}", async client =>
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
        _connection.CallAsync<IReadOnlyList<ArtifactInfo>>(owner, repository, $"the artifacts of run {runId} in {owner}/{repository}", async client =>
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
        _connection.DownloadAsync(owner, repository, $"repos/{Escape(owner)}/{Escape(repository)}/actions/jobs/{jobId}/logs", $"the log of job {jobId} in {owner}/{repository}", cancellationToken);

    public Task<Stream> OpenArtifactAsync(string owner, string repository, long artifactId, CancellationToken cancellationToken) =>
        // See https://docs.github.com/rest/actions/artifacts#download-an-artifact
        _connection.DownloadAsync(owner, repository, $"repos/{Escape(owner)}/{Escape(repository)}/actions/artifacts/{artifactId}/zip", $"artifact {artifactId} of {owner}/{repository}", cancellationToken);

    private const string TeamRepositoryMediaType = "application/vnd.github.v3.repository+json";

    public async Task<bool> TeamCanWriteAsync(string organization, string teamSlug, string owner, string repository, CancellationToken cancellationToken)
    {
        try
        {
            // See https://docs.github.com/rest/teams/teams#check-team-permissions-for-a-repository: 404 = no access; with the
            // repository media type 200 carries the team's permissions (a plain 204 only says it has some access).
            return await _connection.CallAsync(owner, repository, $"the access of team {organization}/{teamSlug} to {owner}/{repository}", async client =>
            {
                var uri = new Uri(
                    $"orgs/{Uri.EscapeDataString(organization)}/teams/{Uri.EscapeDataString(teamSlug)}/repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(repository)}",
                    UriKind.Relative);
                var response = await client.Connection.Get<Repository>(uri, null, TeamRepositoryMediaType).ConfigureAwait(false);
                // Fail closed: an answer that does not show push, maintain or admin is no write access.
                return response.Body?.Permissions is { } permissions && (permissions.Push || permissions.Maintain || permissions.Admin);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubException e) when (e.Kind == GitHubFailureKind.NotFound)
        {
            return false;
        }
    }

    public void ForgetRepositories() => _repositories = null;

    internal static WorkflowRunInfo ToRun(WorkflowRun run) => new()
    {
        Id = run.Id,
        RunNumber = checked((int)run.RunNumber),
        RunAttempt = (int)run.RunAttempt,
        Status = run.Status.StringValue,
        Conclusion = run.Conclusion?.StringValue,
        Event = run.Event,
        HeadBranch = run.HeadBranch,
        HeadSha = run.HeadSha,
        DisplayTitle = run.DisplayTitle,
        Actor = run.Actor?.Login,
        HtmlUrl = run.HtmlUrl,
        CreatedAt = run.CreatedAt,
        UpdatedAt = run.UpdatedAt,
        RunStartedAt = run.RunStartedAt,
        CommitMessage = run.HeadCommit?.Message,
        CommitAuthor = run.HeadCommit?.Author?.Name,
        Path = run.Path,
        PullRequestNumber = run.PullRequests is { Count: > 0 } pulls ? pulls[0].Number : null,
    };

    internal static string Escape(string segment) => Uri.EscapeDataString(segment);

    public static Uri ApiBase(MasterOptions master) => OctokitConnection.ApiBase(master);

    public void Dispose()
    {
        _connection.Dispose();
        _repositoryListLock.Dispose();
    }

    public Task<long> CreateDeploymentAsync(string owner, string repository, global::Igor.GitHubActions.Deployments.DeploymentRequest request, CancellationToken cancellationToken) =>
        _deployments.CreateDeploymentAsync(owner, repository, request, cancellationToken);

    public Task<long?> FindDeploymentAsync(string owner, string repository, string environment, string gitRef, string intent, CancellationToken cancellationToken) =>
        _deployments.FindDeploymentAsync(owner, repository, environment, gitRef, intent, cancellationToken);

    public Task CreateDeploymentStatusAsync(string owner, string repository, long deploymentId, global::Igor.GitHubActions.Deployments.DeploymentStatusRequest status, CancellationToken cancellationToken) =>
        _deployments.CreateDeploymentStatusAsync(owner, repository, deploymentId, status, cancellationToken);

    public Task<global::Igor.GitHubActions.Deployments.DeploymentStatusRequest?> GetLatestDeploymentStatusAsync(string owner, string repository, long deploymentId, CancellationToken cancellationToken) =>
        _deployments.GetLatestDeploymentStatusAsync(owner, repository, deploymentId, cancellationToken);

    public Task CreateCommitStatusAsync(string owner, string repository, string sha, global::Igor.GitHubActions.Deployments.CommitStatusRequest status, CancellationToken cancellationToken) =>
        _deployments.CreateCommitStatusAsync(owner, repository, sha, status, cancellationToken);

    public Task<IReadOnlyList<(string WorkflowFile, WorkflowRunInfo Run)>> ListCompletedRunsAsync(string owner, string repository, DateTimeOffset since, CancellationToken cancellationToken) =>
        _deliveries.ListCompletedRunsAsync(owner, repository, since, cancellationToken);

    public Task<IReadOnlyList<(long Id, string Guid)>> ListFailedDeliveriesAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        _deliveries.ListFailedDeliveriesAsync(since, cancellationToken);

    public Task RedeliverAsync(long deliveryId, CancellationToken cancellationToken) => _deliveries.RedeliverAsync(deliveryId, cancellationToken);
}
