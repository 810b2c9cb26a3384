using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.GitHub;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.State;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Igor.GitHubActions.Tests.GitHub.Components;

/// <summary>One master's components over <see cref="FakeGitHubClient"/>, a real SQLite store in a scratch file and a fake clock.</summary>
internal sealed class MasterHarness
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The job of <see cref="WithBuildWorkflow"/>: <c>.github/workflows/build.yml</c> of acme/api.</summary>
    public static readonly global::Igor.GitHubActions.Igor.JobName Build = global::Igor.GitHubActions.Igor.JobName.Parse("acme/api/build.yml");

    public MasterHarness(IEnumerable<string>? repositories = null, Action<GitHubOptions>? configure = null, Uri? logPageUrl = null)
    {
        Time = new FakeTimeProvider(Start);
        Options = new MasterOptions { Name = "github", Token = "ghp_test", Repositories = (repositories ?? ["acme/api", "tools/*"]).ToList() };
        GitHub = new GitHubOptions { Masters = [Options] };
        configure?.Invoke(GitHub);
        Store = new SqliteStateStore(Path.Combine(TestPaths.NewScratchDirectory(), "store.db"));
        var links = new global::Igor.GitHubActions.Logs.LogLinks(
            Microsoft.Extensions.Options.Options.Create(new SpinnakerOptions { LogPageUrl = logPageUrl, LogLinkKey = "test-key" }),
            Microsoft.Extensions.Options.Options.Create(GitHub));
        Master = new GitHubMaster(Options, GitHub, Client, Store, Store.QueueItems, links, Time, new RateLimitTracker(Microsoft.Extensions.Options.Options.Create(GitHub), Time), NullLoggerFactory.Instance);
    }

    /// <summary>A harness whose GitHub has acme/api with its active <c>build.yml</c> workflow (<see cref="Build"/>).</summary>
    public static MasterHarness WithBuildWorkflow()
    {
        var harness = new MasterHarness();
        harness.Client.Workflows["acme/api"] = [new WorkflowInfo(1, "Build", ".github/workflows/build.yml", "active", "https://github.com/acme/api/actions/workflows/build.yml")];
        return harness;
    }

    public FakeGitHubClient Client { get; } = new();

    public FakeTimeProvider Time { get; }

    public MasterOptions Options { get; }

    public GitHubOptions GitHub { get; }

    public SqliteStateStore Store { get; }

    public GitHubMaster Master { get; }
}
