using System.Text.Json.Nodes;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Contracts.Jobs;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.State;

namespace Igor.GitHubActions.GitHub;

/// <summary>A GitHub master behind Igor's build-service port: jobs are workflow files of allowed repositories.</summary>
internal sealed partial class GitHubActionsBuildService : IBuildService
{
    private readonly MasterOptions _master;
    private readonly GitHubOptions _options;
    private readonly IGitHubActionsClient _github;
    private readonly IStateStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RateLimitTracker _rateLimits;
    private readonly SharedCache<WorkflowRunInfo> _runs;
    /// <summary>Finished builds by the cached run state they were made from; an entry goes with its run state.</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<WorkflowRunInfo, Contracts.Builds.GenericBuild> _finishedBuilds = [];

    /// <summary>Runs as webhooks told them, parsed once per read of the store.</summary>
    private readonly SharedCache<PushedRun?> _snapshots;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _runIds = new(StringComparer.Ordinal);
    private readonly SharedCache<IReadOnlyList<WorkflowRunInfo>> _recentRuns;
    private readonly SharedCache<RepositoryInfo> _repositories;
    private readonly SharedCache<IReadOnlyList<WorkflowInfo>> _workflows;
    private readonly SharedCache<WorkflowFile> _files;
    private readonly Logs.LogLinks _links;
    private readonly SharedCache<JsonObject> _properties;
    private readonly SharedCache<IReadOnlyList<ArtifactInfo>> _artifacts;

    public GitHubActionsBuildService(
        MasterOptions master, IGitHubActionsClient github, IStateStore store, GitHubOptions options, Logs.LogLinks links,
        TimeProvider time, RateLimitTracker rateLimits, ILogger logger)
    {
        _links = links;
        _master = master;
        _options = options;
        _github = github;
        _store = store;
        _time = time;
        _logger = logger;
        _runs = new SharedCache<WorkflowRunInfo>(time, () => options.StatusCacheDuration);

        // Webhook-fed state is read from the store at most once a second per run, however many callers poll it.
        _snapshots = new SharedCache<PushedRun?>(time, () => options.StatusCacheDuration < TimeSpan.FromSeconds(1) ? options.StatusCacheDuration : TimeSpan.FromSeconds(1));
        _recentRuns = new SharedCache<IReadOnlyList<WorkflowRunInfo>>(time, () => TimeSpan.FromSeconds(3));
        Permissions = master.Permissions.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.ToArray());
        _repositories = new SharedCache<RepositoryInfo>(time, () => TimeSpan.FromMinutes(10));
        _rateLimits = rateLimits;

        // Listings are optional work: while the rate limit is down to its reserve they are refreshed ten times less often.
        _workflows = new SharedCache<IReadOnlyList<WorkflowInfo>>(time, () => options.WorkflowCacheDuration * (rateLimits.IsLow(master.Name) ? 10 : 1));
        _files = new SharedCache<WorkflowFile>(time, () => options.WorkflowCacheDuration * (rateLimits.IsLow(master.Name) ? 10 : 1));

        // Keyed by run id and attempt: what a finished attempt uploaded and printed never changes.
        _properties = new SharedCache<JsonObject>(time, () => TimeSpan.FromHours(1), capacity: 1_000);
        _artifacts = new SharedCache<IReadOnlyList<ArtifactInfo>>(time, () => TimeSpan.FromHours(1));
    }

    public string Name => _master.Name;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Permissions { get; }

    public async Task<IReadOnlyList<string>> GetJobsAsync(CancellationToken cancellationToken)
    {
        var repositories = await _github.ListRepositoriesAsync(cancellationToken).ConfigureAwait(false);
        var jobs = new List<string>();
        foreach (var repository in repositories)
        {
            var (owner, name) = Split(repository);
            try
            {
                var workflows = await WorkflowsAsync(owner, name, cancellationToken).ConfigureAwait(false);
                jobs.AddRange(workflows.Select(w => w.FileName).OfType<string>().Select(f => $"{repository}/{f}"));
            }
            catch (IgorException e) when (e.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status409Conflict)
            {
                // One misconfigured repository must not hide the jobs of the others; the log says what to fix.
                Log.RepositorySkipped(_logger, _master.Name, repository, e.Message);
            }
        }

        return jobs.Order(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    public async Task<JobConfiguration> GetJobConfigAsync(JobName job, CancellationToken cancellationToken)
    {
        var (repository, workflow) = await FindWorkflowAsync(job, cancellationToken).ConfigureAwait(false);
        var definition = await DefinitionAsync(job, repository.DefaultBranch, workflow, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Whether optional work should wait because GitHub's rate limit is down to its reserve.</summary>
    public bool RateLimitLow => _rateLimits.IsLow(_master.Name);

    public Task<string?> CheckHealthAsync(CancellationToken cancellationToken) => _github.ProbeAsync(cancellationToken);

    private async Task<(RepositoryInfo Repository, WorkflowInfo Workflow)> FindWorkflowAsync(JobName job, CancellationToken cancellationToken)
    {
        if (!await IsAllowedAsync(job, cancellationToken).ConfigureAwait(false))
        {
            throw IgorException.NotFound($"'{job}' is not a job of master '{_master.Name}': {job.FullRepository} is not in its repository allowlist");
        }

        var repository = await _repositories.GetAsync(
            job.FullRepository, ct => _github.GetRepositoryAsync(job.Owner, job.Repository, ct), cancellationToken).ConfigureAwait(false);
        var workflows = await WorkflowsAsync(job.Owner, job.Repository, cancellationToken).ConfigureAwait(false);
        var workflow = workflows.FirstOrDefault(w => string.Equals(w.FileName, job.WorkflowFile, StringComparison.Ordinal))
            ?? throw IgorException.NotFound($"{job.FullRepository} has no workflow {WorkflowInfo.WorkflowDirectory}{job.WorkflowFile}");
        return (repository, workflow);
    }

    private async Task<bool> IsAllowedAsync(JobName job, CancellationToken cancellationToken)
    {
        foreach (var entry in _master.Repositories)
        {
            if (string.Equals(entry, job.FullRepository, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        if (!_master.Repositories.Any(e => string.Equals(e, job.Owner + "/*", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var repositories = await _github.ListRepositoriesAsync(cancellationToken).ConfigureAwait(false);
        return repositories.Contains(job.FullRepository, StringComparer.OrdinalIgnoreCase);
    }

    private async Task<WorkflowDefinition> DefinitionAsync(JobName job, string gitRef, WorkflowInfo workflow, CancellationToken cancellationToken)
    {
        var file = await WorkflowFileAsync(job, gitRef, cancellationToken).ConfigureAwait(false);
        return file.Definition ?? throw IgorException.Unprocessable(
            $"{workflow.Path} of {job.FullRepository} at {gitRef} cannot be read: {file.Error}");
    }

    private ValueTask<IReadOnlyList<WorkflowInfo>> WorkflowsAsync(string owner, string repository, CancellationToken cancellationToken) =>
        _workflows.GetAsync($"{owner}/{repository}", ct => _github.ListWorkflowsAsync(owner, repository, ct), cancellationToken);

    private ValueTask<WorkflowFile> WorkflowFileAsync(JobName job, string gitRef, CancellationToken cancellationToken) =>
        _files.GetAsync($"{job}@{gitRef}", async ct =>
        {
            var path = WorkflowInfo.WorkflowDirectory + job.WorkflowFile;
            var yaml = await _github.GetFileAsync(job.Owner, job.Repository, path, gitRef, ct).ConfigureAwait(false)
                ?? throw IgorException.NotFound($"{path} does not exist at {gitRef} in {job.FullRepository}");
            try
            {
                return new WorkflowFile(WorkflowYamlParser.Parse(yaml), null);
            }
            catch (WorkflowYamlException e)
            {
                Log.WorkflowUnreadable(_logger, _master.Name, job.ToString(), gitRef, e.Message);
                return new WorkflowFile(null, e.Message);
            }
        }, cancellationToken);

    private static (string Owner, string Name) Split(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return (repository[..slash], repository[(slash + 1)..]);
    }

    private sealed record WorkflowFile(WorkflowDefinition? Definition, string? Error);
}
