using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.Contracts.Jobs;
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
}
