using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.Contracts.Jobs;
using Igor.GitHubActions.GitHub.Jobs;
using Igor.GitHubActions.Igor;

namespace Igor.GitHubActions.GitHub;

/// <summary>
/// A GitHub master behind Igor's build-operations port: jobs are workflow files of allowed repositories, builds are
/// their runs. A façade: the work is the master's components (<see cref="GitHubMaster"/>).
/// </summary>
internal sealed partial class GitHubActionsBuildService : IBuildService
{
    private readonly GitHubMaster _master;
    private readonly ILogger _logger;

    public GitHubActionsBuildService(GitHubMaster master, ILogger<GitHubActionsBuildService> logger)
    {
        _master = master;
        _logger = logger;
        Permissions = master.Options.Permissions.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.ToArray());
    }

    public string Name => _master.Name;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Permissions { get; }

    public async Task<IReadOnlyList<string>> GetJobsAsync(CancellationToken cancellationToken)
    {
        var jobs = new List<string>();
        foreach (var repository in await _master.Client.ListRepositoriesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!RepositoryAllowlist.TrySplit(repository, out var owner, out var name))
            {
                continue;
            }

            try
            {
                var workflows = await _master.Catalog.WorkflowsAsync(owner, name, cancellationToken).ConfigureAwait(false);
                jobs.AddRange(workflows.Select(w => w.FileName).OfType<string>().Select(f => $"{repository}/{f}"));
            }
            catch (GitHubException e) when (e.Kind is GitHubFailureKind.NotFound or GitHubFailureKind.NotInstalled)
            {
                // One misconfigured repository must not hide the jobs of the others; the log says what to fix.
                Log.RepositorySkipped(_logger, Name, repository, e.Message);
            }
        }

        return jobs.Order(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    public async Task<JobConfiguration> GetJobConfigAsync(JobName job, CancellationToken cancellationToken)
    {
        var (repository, workflow) = await _master.Catalog.FindWorkflowAsync(job, cancellationToken).ConfigureAwait(false);
        var definition = await _master.Catalog.DefinitionAsync(job, repository.DefaultBranch, workflow, cancellationToken).ConfigureAwait(false);
        return new JobConfiguration
        {
            Name = job.ToString(),
            DisplayName = job.WorkflowFile,
            Description = definition.Name ?? workflow.Name,
            Buildable = workflow.IsActive && definition.IsDispatchable,
            Url = $"{repository.HtmlUrl}/actions/workflows/{Uri.EscapeDataString(job.WorkflowFile)}",
            ParameterDefinitionList = JobParameters.For(definition, repository.DefaultBranch),
        };
    }

    public Task<string?> CheckHealthAsync(CancellationToken cancellationToken) => _master.Client.ProbeAsync(cancellationToken);

    /// <summary>The dispatch state machine (<see cref="Dispatch.WorkflowDispatcher"/>) starts it exactly once.</summary>
    public Task<long> StartBuildAsync(JobName job, BuildRequest request, CancellationToken cancellationToken) =>
        _master.Dispatcher.StartAsync(job, request, cancellationToken);

    public Task<QueuedBuild> GetQueuedBuildAsync(long queueId, CancellationToken cancellationToken) =>
        _master.Queue.GetQueuedBuildAsync(queueId, cancellationToken);

    public Task<GenericBuild> GetBuildAsync(JobName job, int buildNumber, CancellationToken cancellationToken) =>
        _master.Builds.GetBuildAsync(job, buildNumber, cancellationToken);

    public Task<IReadOnlyList<GenericBuild>> GetBuildsAsync(JobName job, CancellationToken cancellationToken) =>
        _master.Builds.GetBuildsAsync(job, cancellationToken);

    public Task StopBuildAsync(JobName? job, long queueId, int buildNumber, CancellationToken cancellationToken) =>
        _master.Canceller.StopAsync(job, queueId, buildNumber, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Master {Master} skips repository {Repository} in its job list: {Reason}")]
        public static partial void RepositorySkipped(ILogger logger, string master, string repository, string reason);
    }
}
