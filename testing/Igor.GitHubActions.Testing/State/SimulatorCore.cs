using System.Security.Cryptography;
using System.Text;

namespace Igor.GitHubActions.Testing.State;

/// <summary>The shared state of one simulator. Every mutation happens under <see cref="Sync"/>.</summary>
internal sealed class SimulatorCore
{
    public SimulatorCore(GitHubSimulatorOptions options)
    {
        Options = options;
        DefaultActor = new Account("octocat", Ids.Next(IdKind.Account), "User");
        Faults.UseClock(() => Options.TimeProvider.GetUtcNow());
    }

    public Lock Sync { get; } = new();

    public GitHubSimulatorOptions Options { get; }

    public DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    public IdGenerator Ids { get; } = new();

    public Uri BaseAddress { get; set; } = new("http://127.0.0.1/");

    public Dictionary<long, SimulatedApp> Apps { get; } = [];

    /// <summary>Manifest-flow codes not yet converted, with their expiry.</summary>
    public Dictionary<string, (SimulatedApp App, DateTimeOffset Expires)> ManifestCodes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SimulatedRepository> Repositories { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<long, SimulatedInstallation> Installations { get; } = [];

    public Dictionary<string, TokenRecord> Tokens { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Account> Accounts { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Teams by <c>org/slug</c>.</summary>
    public Dictionary<string, SimulatedTeam> Teams { get; } = new(StringComparer.OrdinalIgnoreCase);

    public BlobStore Blobs { get; } = new();

    public RequestLog Requests { get; } = new();

    public RateLimiter RateLimits { get; } = new();

    public SecondaryLimiter SecondaryLimits { get; } = new();

    public FaultInjector Faults { get; } = new();

    /// <summary>The user that personal access tokens and test-created runs act as.</summary>
    public Account DefaultActor { get; }

    public SimulatedWebhooks? Webhooks { get; set; }

    /// <summary>GitHub's own <c>github-actions</c> App (id 15368): the performer of the deployments runs create for jobs with an <c>environment</c>.</summary>
    public SimulatedApp ActionsApp => _actionsApp ??= new SimulatedApp(this, 15368, "Iv1.github-actions", "github-actions") { Name = "GitHub Actions" };

    private SimulatedApp? _actionsApp;

    internal void DisposeActionsApp() => _actionsApp?.Dispose();

    /// <summary>Raised (outside the lock) when a run is created, by dispatch or by a test.</summary>
    public event Action<SimulatedRun>? RunCreated;

    public Urls DefaultUrls => new(BaseAddress.ToString(), BaseAddress.ToString());

    /// <summary>The account of an owner login, created on first use as an organization.</summary>
    public Account AccountFor(string login)
    {
        lock (Sync)
        {
            if (!Accounts.TryGetValue(login, out var account))
            {
                account = new Account(login, Ids.Next(IdKind.Account), "Organization");
                Accounts[login] = account;
            }

            return account;
        }
    }

    public SimulatedRepository? FindRepository(string owner, string name)
    {
        lock (Sync)
        {
            return Repositories.GetValueOrDefault($"{owner}/{name}");
        }
    }

    public SimulatedInstallation? InstallationFor(SimulatedRepository repository)
    {
        lock (Sync)
        {
            return Installations.Values.FirstOrDefault(i => i.Covers(repository));
        }
    }

    public void RaiseRunCreated(SimulatedRun run)
    {
        var handlers = RunCreated;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<SimulatedRun>>())
        {
            try
            {
                handler(run);
            }
            catch (Exception)
            {
                // A test's callback must not break the request that created the run.
            }
        }
    }

    /// <summary>A deterministic 40-hex SHA-1 for any text.</summary>
#pragma warning disable CA5350 // Git commit ids are SHA-1 shaped; no security use.
    public static string Sha(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5350
}
