using System.Globalization;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Deployments;
using Igor.GitHubActions.GitHub.Dispatch;

namespace Igor.GitHubActions.GitHub.Client;

/// <summary>
/// The reads every caller repeats, cached around a master's client, each shared by concurrent callers of one key: a
/// repository (10 minutes), a repository's workflows (<see cref="GitHubOptions.WorkflowCacheDuration"/>, ten times as
/// long while the rate limit is down to its reserve) and a run (<see cref="GitHubOptions.StatusCacheDuration"/>, so a
/// burst of Orca's polls costs one request). A cancel forgets its run; <see cref="ForgetRepositories"/> forgets listings.
/// Everything else passes through: writes are never cached, and lists that move (runs, jobs, artifacts) are the callers'.
/// </summary>
internal sealed class CachingGitHubActionsClient : IGitHubActionsClient
{
    private readonly IGitHubActionsClient _inner;
    private readonly SharedCache<RepositoryInfo> _repositories;
    private readonly SharedCache<IReadOnlyList<WorkflowInfo>> _workflows;
    private readonly SharedCache<WorkflowRunInfo> _runs;

    public CachingGitHubActionsClient(IGitHubActionsClient inner, string master, GitHubOptions options, TimeProvider time, RateLimitTracker rateLimits)
    {
        _inner = inner;
        _repositories = new SharedCache<RepositoryInfo>(time, () => TimeSpan.FromMinutes(10));
        _workflows = new SharedCache<IReadOnlyList<WorkflowInfo>>(time, () => options.WorkflowCacheDuration * (rateLimits.IsLow(master) ? 10 : 1));
        _runs = new SharedCache<WorkflowRunInfo>(time, () => options.StatusCacheDuration);
    }

    public Task<RepositoryInfo> GetRepositoryAsync(string owner, string repository, CancellationToken cancellationToken) =>
        _repositories.GetAsync($"{owner}/{repository}", ct => _inner.GetRepositoryAsync(owner, repository, ct), cancellationToken).AsTask();

    public Task<IReadOnlyList<WorkflowInfo>> ListWorkflowsAsync(string owner, string repository, CancellationToken cancellationToken) =>
        _workflows.GetAsync($"{owner}/{repository}", ct => _inner.ListWorkflowsAsync(owner, repository, ct), cancellationToken).AsTask();

    public Task<WorkflowRunInfo> GetRunAsync(string owner, string repository, long runId, CancellationToken cancellationToken) =>
        _runs.GetAsync(Key(runId), ct => _inner.GetRunAsync(owner, repository, runId, ct), cancellationToken).AsTask();

    /// <summary>Forgets a run's cached state, so the next read asks GitHub.</summary>
    public void ForgetRun(long runId) => _runs.Invalidate(Key(runId));

    public async Task<bool> CancelRunAsync(string owner, string repository, long runId, bool force, CancellationToken cancellationToken)
    {
        try
        {
            return await _inner.CancelRunAsync(owner, repository, runId, force, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Whatever GitHub answered, the run's state may have changed: the next poll sees it.
            ForgetRun(runId);
        }
    }

    public void ForgetRepositories()
    {
        _workflows.Clear();
        _inner.ForgetRepositories();
    }

    public Task<IReadOnlyList<string>> ListRepositoriesAsync(CancellationToken cancellationToken) => _inner.ListRepositoriesAsync(cancellationToken);

    public Task<string?> GetFileAsync(string owner, string repository, string path, string gitRef, CancellationToken cancellationToken) =>
        _inner.GetFileAsync(owner, repository, path, gitRef, cancellationToken);

    public Task<string?> ProbeAsync(CancellationToken cancellationToken) => _inner.ProbeAsync(cancellationToken);

    public Task<DispatchOutcome> DispatchWorkflowAsync(
        string owner, string repository, string workflowFile, string gitRef, IReadOnlyDictionary<string, string> inputs, bool returnRunDetails, CancellationToken cancellationToken) =>
        _inner.DispatchWorkflowAsync(owner, repository, workflowFile, gitRef, inputs, returnRunDetails, cancellationToken);

    public Task DispatchRepositoryAsync(string owner, string repository, string eventType, IReadOnlyDictionary<string, string> clientPayload, CancellationToken cancellationToken) =>
        _inner.DispatchRepositoryAsync(owner, repository, eventType, clientPayload, cancellationToken);

    public Task<string> GetDispatcherLoginAsync(CancellationToken cancellationToken) => _inner.GetDispatcherLoginAsync(cancellationToken);

    public Task<IReadOnlyList<WorkflowRunInfo>> ListRunsAsync(string owner, string repository, string workflowFile, RunQuery query, CancellationToken cancellationToken) =>
        _inner.ListRunsAsync(owner, repository, workflowFile, query, cancellationToken);

    public Task<IReadOnlyList<(string WorkflowFile, WorkflowRunInfo Run)>> ListCompletedRunsAsync(string owner, string repository, DateTimeOffset since, CancellationToken cancellationToken) =>
        _inner.ListCompletedRunsAsync(owner, repository, since, cancellationToken);

    public Task<IReadOnlyList<(long Id, string Guid)>> ListFailedDeliveriesAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        _inner.ListFailedDeliveriesAsync(since, cancellationToken);

    public Task RedeliverAsync(long deliveryId, CancellationToken cancellationToken) => _inner.RedeliverAsync(deliveryId, cancellationToken);

    public Task<bool> TeamCanWriteAsync(string organization, string teamSlug, string owner, string repository, CancellationToken cancellationToken) =>
        _inner.TeamCanWriteAsync(organization, teamSlug, owner, repository, cancellationToken);

    public Task<long> CreateDeploymentAsync(string owner, string repository, DeploymentRequest request, CancellationToken cancellationToken) =>
        _inner.CreateDeploymentAsync(owner, repository, request, cancellationToken);

    public Task<long?> FindDeploymentAsync(string owner, string repository, string environment, string gitRef, string intent, CancellationToken cancellationToken) =>
        _inner.FindDeploymentAsync(owner, repository, environment, gitRef, intent, cancellationToken);

    public Task CreateDeploymentStatusAsync(string owner, string repository, long deploymentId, DeploymentStatusRequest status, CancellationToken cancellationToken) =>
        _inner.CreateDeploymentStatusAsync(owner, repository, deploymentId, status, cancellationToken);

    public Task<DeploymentStatusRequest?> GetLatestDeploymentStatusAsync(string owner, string repository, long deploymentId, CancellationToken cancellationToken) =>
        _inner.GetLatestDeploymentStatusAsync(owner, repository, deploymentId, cancellationToken);

    public Task CreateCommitStatusAsync(string owner, string repository, string sha, CommitStatusRequest status, CancellationToken cancellationToken) =>
        _inner.CreateCommitStatusAsync(owner, repository, sha, status, cancellationToken);

    public Task<IReadOnlyList<WorkflowRunInfo>> ListRepositoryRunsAsync(string owner, string repository, RunQuery query, CancellationToken cancellationToken) =>
        _inner.ListRepositoryRunsAsync(owner, repository, query, cancellationToken);

    public Task<IReadOnlyList<WorkflowJobInfo>> ListJobsAsync(string owner, string repository, long runId, int attempt, CancellationToken cancellationToken) =>
        _inner.ListJobsAsync(owner, repository, runId, attempt, cancellationToken);

    public Task<IReadOnlyList<ArtifactInfo>> ListArtifactsAsync(string owner, string repository, long runId, CancellationToken cancellationToken) =>
        _inner.ListArtifactsAsync(owner, repository, runId, cancellationToken);

    public Task<Stream> OpenJobLogAsync(string owner, string repository, long jobId, CancellationToken cancellationToken) =>
        _inner.OpenJobLogAsync(owner, repository, jobId, cancellationToken);

    public Task<Stream> OpenArtifactAsync(string owner, string repository, long artifactId, CancellationToken cancellationToken) =>
        _inner.OpenArtifactAsync(owner, repository, artifactId, cancellationToken);

    private static string Key(long runId) => runId.ToString(CultureInfo.InvariantCulture);
}
