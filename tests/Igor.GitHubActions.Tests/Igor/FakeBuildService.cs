using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.Contracts.Jobs;
using Igor.GitHubActions.Deployments;
using Igor.GitHubActions.Igor;

namespace Igor.GitHubActions.Tests.Igor;

/// <summary>A build master with fixed jobs, for endpoint tests.</summary>
internal sealed class FakeBuildService(string name, params string[] jobs) : IBuildService
{
    public string Name { get; } = name;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Permissions { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    public List<JobName> RequestedJobs { get; } = [];

    public Task<IReadOnlyList<string>> GetJobsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(jobs);

    public Task<JobConfiguration> GetJobConfigAsync(JobName job, CancellationToken cancellationToken)
    {
        RequestedJobs.Add(job);
        return Task.FromResult(new JobConfiguration
        {
            DisplayName = job.WorkflowFile,
            Name = job.ToString(),
            Buildable = true,
            Url = $"https://github.com/{job.FullRepository}",
            ParameterDefinitionList = [],
        });
    }

    public Task<string?> CheckHealthAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task<long> StartBuildAsync(JobName job, BuildRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<QueuedBuild> GetQueuedBuildAsync(long queueId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<GenericBuild> GetBuildAsync(JobName job, int buildNumber, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<GenericBuild>> GetBuildsAsync(JobName job, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StopBuildAsync(JobName? job, long queueId, int buildNumber, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task ProcessQueueAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public bool RateLimitLow => false;

    public void Refresh()
    {
    }

    public Task<IReadOnlyList<CompletedBuild>> GetCompletedBuildsAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CompletedBuild>>([]);

    public Task<int> RedeliverFailedWebhooksAsync(Func<string, CancellationToken, Task<bool>> accepted, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult(0);

    public Task<bool> AllowsRepositoryAsync(string owner, string repository, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<long> CreateDeploymentAsync(string owner, string repository, DeploymentRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task CreateDeploymentStatusAsync(string owner, string repository, long deploymentId, DeploymentStatusRequest status, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task CreateCommitStatusAsync(string owner, string repository, string sha, CommitStatusRequest status, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<System.Text.Json.Nodes.JsonObject> GetBuildPropertiesAsync(JobName job, int buildNumber, string fileName, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<GenericBuild>?> GetCiBuildsAsync(CiBuildQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<GenericBuild>?>(null);

    public Task<global::Igor.GitHubActions.Logs.RunLogView?> GetRunLogAsync(string? owner, string? repository, long runId, CancellationToken cancellationToken) =>
        Task.FromResult<global::Igor.GitHubActions.Logs.RunLogView?>(null);

    public Task<Stream> OpenJobLogAsync(global::Igor.GitHubActions.Logs.RunLogView run, long jobId, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
