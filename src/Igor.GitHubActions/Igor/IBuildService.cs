using System.Text.Json.Nodes;
using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.Contracts.Jobs;
using Igor.GitHubActions.Logs;

namespace Igor.GitHubActions.Igor;

/// <summary>One build master as Spinnaker sees it (Igor's BuildOperations); GitHub stays behind it.</summary>
internal interface IBuildService
{
    /// <summary>The master's name in Spinnaker.</summary>
    string Name { get; }

    /// <summary>Fiat permissions of the master (READ, WRITE) as configured.</summary>
    IReadOnlyDictionary<string, IReadOnlyList<string>> Permissions { get; }

    /// <summary>Every job of the master, sorted.</summary>
    Task<IReadOnlyList<string>> GetJobsAsync(CancellationToken cancellationToken);

    /// <summary>The job's configuration with its parameters; 404 when the job is not the master's.</summary>
    Task<JobConfiguration> GetJobConfigAsync(JobName job, CancellationToken cancellationToken);

    /// <summary>Null when the master reaches GitHub with valid credentials, else the reason.</summary>
    Task<string?> CheckHealthAsync(CancellationToken cancellationToken);

    /// <summary>Starts the job once per request identity and answers its queue id (idempotent for Orca's retries).</summary>
    Task<long> StartBuildAsync(JobName job, BuildRequest request, CancellationToken cancellationToken);

    /// <summary>The build number once the queue item's run is known; a 410 for a queue id never issued or failed.</summary>
    Task<QueuedBuild> GetQueuedBuildAsync(long queueId, CancellationToken cancellationToken);

    /// <summary>One build of the job by number; a 404 when there is none.</summary>
    Task<GenericBuild> GetBuildAsync(JobName job, int buildNumber, CancellationToken cancellationToken);

    /// <summary>The recent builds of the job, newest first.</summary>
    Task<IReadOnlyList<GenericBuild>> GetBuildsAsync(JobName job, CancellationToken cancellationToken);

    /// <summary>Stops a queued or running build; a finished one is left alone.</summary>
    Task StopBuildAsync(JobName? job, long queueId, int buildNumber, CancellationToken cancellationToken);

    /// <summary>Background work: resolves dispatched items to runs and carries out pending cancels.</summary>
    Task ProcessQueueAsync(CancellationToken cancellationToken);

    /// <summary>True while GitHub's rate limit is down to its reserve: optional work (reconciliation) waits.</summary>
    bool RateLimitLow { get; }

    /// <summary>Forgets cached repository and workflow listings (the App's installation changed).</summary>
    void Refresh();

    /// <summary>Builds of every job that finished since <paramref name="since"/>, for reconciliation with the events sent.</summary>
    Task<IReadOnlyList<CompletedBuild>> GetCompletedBuildsAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Asks GitHub to redeliver the App's failed webhook deliveries since <paramref name="since"/> that were not accepted here;
    /// returns how many were asked for. GitHub itself never retries a failed delivery.
    /// </summary>
    Task<int> RedeliverFailedWebhooksAsync(Func<string, CancellationToken, Task<bool>> accepted, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Whether the master's allowlist admits the repository (<c>owner/*</c> through the App's installation).</summary>
    Task<bool> AllowsRepositoryAsync(string owner, string repository, CancellationToken cancellationToken);

    /// <summary>Creates a GitHub deployment in an allowed repository and answers its id.</summary>
    Task<long> CreateDeploymentAsync(string owner, string repository, Deployments.DeploymentRequest request, CancellationToken cancellationToken);

    /// <summary>Writes a deployment status on a deployment of an allowed repository.</summary>
    Task CreateDeploymentStatusAsync(string owner, string repository, long deploymentId, Deployments.DeploymentStatusRequest status, CancellationToken cancellationToken);

    /// <summary>Writes a commit status on a SHA of an allowed repository.</summary>
    Task CreateCommitStatusAsync(string owner, string repository, string sha, Deployments.CommitStatusRequest status, CancellationToken cancellationToken);

    /// <summary>
    /// The properties of a finished build: the named file from an uploaded artifact, then <c>SPINNAKER_PROPERTY_*</c>
    /// log lines; <c>{}</c> when neither exists, a 503 while the build runs.
    /// </summary>
    Task<JsonObject> GetBuildPropertiesAsync(JobName job, int buildNumber, string fileName, CancellationToken cancellationToken);

    /// <summary>Builds of one of the master's repositories for Deck's CI view, newest first; null when the repository is not the master's.</summary>
    Task<IReadOnlyList<GenericBuild>?> GetCiBuildsAsync(CiBuildQuery query, CancellationToken cancellationToken);

    /// <summary>A run of one of the master's repositories with its jobs (found by id alone when no repository is given); null when not the master's.</summary>
    Task<RunLogView?> GetRunLogAsync(string? owner, string? repository, long runId, CancellationToken cancellationToken);

    /// <summary>A job's log streamed from GitHub; the caller disposes it. A 404 when the job is not the run's.</summary>
    Task<Stream> OpenJobLogAsync(RunLogView run, long jobId, CancellationToken cancellationToken);
}
