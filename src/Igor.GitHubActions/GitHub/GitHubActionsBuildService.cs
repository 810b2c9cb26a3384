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
    private readonly IQueueItems _items;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RateLimitTracker _rateLimits;
    private readonly SharedCache<WorkflowRunInfo> _runs;
    /// <summary>Finished builds by the cached run state they were made from; an entry goes with its run state.</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<WorkflowRunInfo, Contracts.Builds.GenericBuild> _finishedBuilds = [];

    /// <summary>Runs as webhooks told them, parsed once per read of the store.</summary>
    private readonly SharedCache<PushedRun?> _snapshots;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _runIds = new(StringComparer.Ordinal);
    private readonly Jobs.WorkflowCatalog _catalog;
    private readonly Dispatch.WorkflowDispatcher _dispatcher;
    private readonly Logs.LogLinks _links;
    private readonly SharedCache<JsonObject> _properties;
    private readonly SharedCache<IReadOnlyList<ArtifactInfo>> _artifacts;
    private readonly SharedCache<IReadOnlyList<ArtifactInfo>> _earlyArtifacts;

    public GitHubActionsBuildService(
        MasterOptions master, IGitHubActionsClient github, IStateStore store, IQueueItems items, GitHubOptions options, Logs.LogLinks links,
        TimeProvider time, RateLimitTracker rateLimits, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger<GitHubActionsBuildService>();
        _items = items;
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
        Permissions = master.Permissions.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.ToArray());
        _rateLimits = rateLimits;
        _catalog = new Jobs.WorkflowCatalog(master, options, github, time, rateLimits, loggers.CreateLogger<Jobs.WorkflowCatalog>());
        _dispatcher = new Dispatch.WorkflowDispatcher(
            master, options, github, store, items, _catalog, time, loggers.CreateLogger<Dispatch.WorkflowDispatcher>());

        // Keyed by run id and attempt: what a finished attempt uploaded and printed never changes.
        _properties = new SharedCache<JsonObject>(time, () => TimeSpan.FromHours(1), capacity: 1_000);
        _artifacts = new SharedCache<IReadOnlyList<ArtifactInfo>>(time, () => TimeSpan.FromHours(1));

        // Moments after a run finished GitHub may still be adding its uploads: such a listing is read again after 5 s.
        _earlyArtifacts = new SharedCache<IReadOnlyList<ArtifactInfo>>(time, () => TimeSpan.FromSeconds(5));
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
                var workflows = await _catalog.WorkflowsAsync(owner, name, cancellationToken).ConfigureAwait(false);
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
        var (repository, workflow) = await _catalog.FindWorkflowAsync(job, cancellationToken).ConfigureAwait(false);
        var definition = await _catalog.DefinitionAsync(job, repository.DefaultBranch, workflow, cancellationToken).ConfigureAwait(false);
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

    private Task<(RepositoryInfo Repository, WorkflowInfo Workflow)> FindWorkflowAsync(JobName job, CancellationToken cancellationToken) =>
        _catalog.FindWorkflowAsync(job, cancellationToken);

    private Task<bool> IsAllowedAsync(JobName job, CancellationToken cancellationToken) => _catalog.IsAllowedAsync(job, cancellationToken);

    private static (string Owner, string Name) Split(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return (repository[..slash], repository[(slash + 1)..]);
    }
}
