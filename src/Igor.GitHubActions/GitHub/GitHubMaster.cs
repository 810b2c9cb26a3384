using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Queue;
using Igor.GitHubActions.State;

namespace Igor.GitHubActions.GitHub;

/// <summary>
/// One configured master as GitHub sees it: its options, allowlist and client, and the components every feature of it
/// uses (one instance each per master, so their caches are the master's). <see cref="Build"/> is Igor's port over them.
/// </summary>
internal sealed class GitHubMaster
{
    private readonly RateLimitTracker _rateLimits;

    public GitHubMaster(
        MasterOptions options, GitHubOptions github, IGitHubActionsClient client, IStateStore store, IQueueItems items,
        global::Igor.GitHubActions.Logs.LogLinks links, TimeProvider time, RateLimitTracker rateLimits, ILoggerFactory loggers)
    {
        Options = options;
        // The dispatch state machine reads GitHub as it is (a run it correlates must not be served from, or put in, the
        // status cache); every other component reads through the shared caches.
        var direct = client;
        var cached = new CachingGitHubActionsClient(client, options.Name, github, time, rateLimits);
        Client = cached;
        client = cached;
        _rateLimits = rateLimits;
        Allowlist = new RepositoryAllowlist(options.Repositories);
        Catalog = new Jobs.WorkflowCatalog(options, github, client, time, rateLimits, loggers.CreateLogger<Jobs.WorkflowCatalog>());
        Dispatcher = new Dispatch.WorkflowDispatcher(options, github, direct, store, items, Catalog, time, loggers.CreateLogger<Dispatch.WorkflowDispatcher>());
        Runs = new Runs.RunReader(Name, github, client, store, links, time, loggers.CreateLogger<Runs.RunReader>());
        Artifacts = new Outputs.RunArtifacts(Name, github, client, time, loggers.CreateLogger<Outputs.RunArtifacts>());
        Builds = new Runs.BuildReader(client, Catalog, Runs, Artifacts);
        Canceller = new Runs.RunCanceller(Name, github, cached, items, Runs, time, loggers.CreateLogger<Runs.RunCanceller>());
        Queue = new Runs.RunResolver(Name, items, Dispatcher, Canceller, loggers.CreateLogger<Runs.RunResolver>());
        Properties = new Outputs.BuildPropertiesReader(Name, github, client, Catalog, Runs, Artifacts, time, loggers.CreateLogger<Outputs.BuildPropertiesReader>());
        CiBuilds = new Ci.CiBuilds(client, Catalog, Runs, Artifacts);
        Logs = new Logs.RunLogs(Name, client, Catalog, Runs);
        Deployments = new Deployments.DeploymentWriter(Name, client, Catalog);
        CompletedRuns = new Apps.CompletedRuns(Name, client, Runs, loggers.CreateLogger<Apps.CompletedRuns>());
        FailedDeliveries = new Apps.FailedDeliveries(client);
        Build = new GitHubActionsBuildService(this, loggers.CreateLogger<GitHubActionsBuildService>());
    }

    public string Name => Options.Name;

    public MasterOptions Options { get; }

    /// <summary>The master's GitHub client with its shared read caches (<see cref="CachingGitHubActionsClient"/>).</summary>
    public IGitHubActionsClient Client { get; }

    public RepositoryAllowlist Allowlist { get; }

    public Jobs.WorkflowCatalog Catalog { get; }

    public Dispatch.WorkflowDispatcher Dispatcher { get; }

    public Runs.RunReader Runs { get; }

    public Runs.BuildReader Builds { get; }

    public Runs.RunCanceller Canceller { get; }

    public Runs.RunResolver Queue { get; }

    public Outputs.RunArtifacts Artifacts { get; }

    public Outputs.BuildPropertiesReader Properties { get; }

    public Ci.CiBuilds CiBuilds { get; }

    public Logs.RunLogs Logs { get; }

    public Deployments.DeploymentWriter Deployments { get; }

    public Apps.CompletedRuns CompletedRuns { get; }

    public Apps.FailedDeliveries FailedDeliveries { get; }

    /// <summary>The master behind Igor's build-operations port.</summary>
    public IBuildService Build { get; }

    /// <summary>Whether optional work should wait because GitHub's rate limit is down to its reserve.</summary>
    public bool RateLimitLow => _rateLimits.IsLow(Name);

    /// <summary>Forgets repository and workflow listings after a push or an installation change may have changed them.</summary>
    public void Refresh()
    {
        Client.ForgetRepositories();
        Catalog.Forget();
    }
}
