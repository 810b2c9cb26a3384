using System.Collections.Concurrent;
using System.Globalization;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.State;

namespace Igor.GitHubActions.GitHub.Runs;

/// <summary>
/// One master's runs: run number → run id (the store, else GitHub's listing), a run's state (from webhooks while they
/// flow, else one conditional read per run per <see cref="GitHubOptions.StatusCacheDuration"/> shared by every caller),
/// and a run as Igor's GenericBuild.
/// </summary>
internal sealed partial class RunReader
{
    private const int RunSearchPages = 10;
    private const int MaxRemembered = 100_000;

    private readonly string _master;
    private readonly GitHubOptions _options;
    private readonly IGitHubActionsClient _github;
    private readonly IStateStore _store;
    private readonly global::Igor.GitHubActions.Logs.LogLinks _links;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Runs as webhooks told them, parsed once per read of the store.</summary>
    private readonly SharedCache<PushedRun?> _snapshots;
    private readonly ConcurrentDictionary<string, long> _runIds = new(StringComparer.Ordinal);

    /// <summary>Run id → owner/repo, learnt from listings, so Deck's output call (which names only the run id) finds its repository.</summary>
    private readonly ConcurrentDictionary<long, string> _repositories = new();

    public RunReader(
        string master, GitHubOptions options, IGitHubActionsClient github, IStateStore store, global::Igor.GitHubActions.Logs.LogLinks links,
        TimeProvider time, ILogger<RunReader> logger)
    {
        _master = master;
        _options = options;
        _github = github;
        _store = store;
        _links = links;
        _time = time;
        _logger = logger;

        // Webhook-fed state is read from the store at most once a second per run, however many callers poll it.
        _snapshots = new SharedCache<PushedRun?>(time, () => options.StatusCacheDuration < TimeSpan.FromSeconds(1) ? options.StatusCacheDuration : TimeSpan.FromSeconds(1));
    }

    /// <summary>Run number → run id from the store, else by paging the workflow's runs (GitHub has no lookup by number).</summary>
    public async Task<long?> FindRunIdAsync(JobName job, int buildNumber, CancellationToken cancellationToken)
    {
        var key = $"{job}#{buildNumber}";
        if (_runIds.TryGetValue(key, out var remembered))
        {
            return remembered;
        }

        if (await _store.Runs.FindRunIdAsync(_master, job.ToString(), buildNumber, cancellationToken).ConfigureAwait(false) is { } known)
        {
            // A run number never changes its run: keep it in memory (bounded) to spare the store on every poll.
            if (_runIds.Count > MaxRemembered)
            {
                _runIds.Clear();
            }

            _runIds[key] = known;
            return known;
        }

        for (var page = 1; page <= RunSearchPages; page++)
        {
            var runs = await _github.ListRunsAsync(job.Owner, job.Repository, job.WorkflowFile, new RunQuery(Page: page, PerPage: 100), cancellationToken)
                .ConfigureAwait(false);
            await RememberAsync(job, runs, cancellationToken).ConfigureAwait(false);
            if (runs.FirstOrDefault(r => r.RunNumber == buildNumber) is { } found)
            {
                return found.Id;
            }

            if (runs.Count < 100 || runs.Min(r => r.RunNumber) < buildNumber)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The run's state: pushed by webhooks while they are fresh (no GitHub request), else read from GitHub.</summary>
    public async Task<WorkflowRunInfo> GetAsync(JobName job, long runId, CancellationToken cancellationToken)
    {
        var id = runId.ToString(CultureInfo.InvariantCulture);
        var pushed = await _snapshots.GetAsync(
            id,
            async ct => await _store.Snapshots.GetRunSnapshotAsync(runId, ct).ConfigureAwait(false) is { } snapshot
                ? new PushedRun(RunSnapshots.Read(snapshot), snapshot.ReceivedAt)
                : null,
            cancellationToken).ConfigureAwait(false);
        // A completed run is final, except one waiting for approval (completed/action_required): it goes on once approved,
        // and its later deliveries can be lost, so it is read again once the snapshot is stale.
        var final = pushed?.Run is { Status: "completed", Conclusion: not "action_required" };
        if (pushed is not null && (final || _time.GetUtcNow() - pushed.ReceivedAt < _options.WebhookFreshness))
        {
            return pushed.Run;
        }

        return await ReadAsync(job.Owner, job.Repository, runId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run as GitHub answers it (through the client's status cache, one read per run per period shared by every caller).</summary>
    public Task<WorkflowRunInfo> ReadAsync(string owner, string repository, long runId, CancellationToken cancellationToken) =>
        _github.GetRunAsync(owner, repository, runId, cancellationToken);

    /// <summary>Records run number → run id of listed runs, for <see cref="FindRunIdAsync"/> on any replica.</summary>
    public Task RememberAsync(JobName job, IEnumerable<WorkflowRunInfo> runs, CancellationToken cancellationToken) =>
        _store.Runs.RecordRunsAsync(runs.Select(r => new RunRecord(_master, job.ToString(), r.RunNumber, r.Id)).ToArray(), cancellationToken);

    /// <summary>The run as Igor's build, its <c>url</c> the log page when one is configured.</summary>
    public GenericBuild ToBuild(JobName job, WorkflowRunInfo run) =>
        WorkflowRunMapper.ToGenericBuild(job.ToString(), run, _time.GetUtcNow(),
            conclusion => Log.UnknownConclusion(_logger, _master, job.ToString(), run.Id, conclusion)) with { Url = BuildUrl(job.Owner, job.Repository, run) };

    /// <summary>The repository a run was seen in (by a listing, a build or a log page), if any.</summary>
    public bool TryGetRepository(long runId, out string owner, out string repository)
    {
        if (_repositories.TryGetValue(runId, out var known) && RepositoryAllowlist.TrySplit(known, out owner, out repository))
        {
            return true;
        }

        owner = repository = "";
        return false;
    }

    /// <summary>Which repository a run is of, for Deck's CI output (found by run id alone); bounded like the other caches.</summary>
    public void RememberRepository(long runId, string owner, string repository)
    {
        if (_repositories.Count >= MaxRemembered)
        {
            _repositories.Clear();
        }

        _repositories[runId] = $"{owner}/{repository}";
    }

    /// <summary>owner/repo/file.yml from the run's workflow path (<c>.github/workflows/file.yml</c>, sometimes with <c>@ref</c>).</summary>
    public static string JobOf(string owner, string repository, WorkflowRunInfo run)
    {
        var path = run.Path ?? "";
        var at = path.IndexOf('@', StringComparison.Ordinal);
        var file = Path.GetFileName(at >= 0 ? path[..at] : path);
        return $"{owner}/{repository}/{(file.Length == 0 ? "workflow" : file)}";
    }

    /// <summary>The signed log page when <c>Spinnaker:LogPageUrl</c> is set, else the run's page on GitHub; always ending in '/'.</summary>
    private string BuildUrl(string owner, string repository, WorkflowRunInfo run)
    {
        if (!_repositories.ContainsKey(run.Id))
        {
            RememberRepository(run.Id, owner, repository);
        }

        return _links.PageUrl(_master, owner, repository, run.Id) ?? (run.HtmlUrl.EndsWith('/') ? run.HtmlUrl : run.HtmlUrl + "/");
    }

    private static partial class Log
    {
        [LoggerMessage(12, LogLevel.Warning, "Master {Master}: run {RunId} of {Job} has the unknown conclusion '{Conclusion}', reported as FAILURE")]
        public static partial void UnknownConclusion(ILogger logger, string master, string job, long runId, string? conclusion);
    }
}
