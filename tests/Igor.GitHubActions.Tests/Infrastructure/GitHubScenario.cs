using SimulatorHost = global::Igor.GitHubActions.Testing.GitHubSimulator;
using System.Text;
using Igor.GitHubActions.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>
/// A GitHub simulator with an App installed on acme/api (and acme/web), and the service configured with one
/// App master over it, on a fresh SQLite file. Every test that talks to "GitHub" goes through one of these.
/// </summary>
public sealed class GitHubScenario : IAsyncDisposable
{
    public const string Master = "github-actions";
    public const long AppId = 4242;
    public const string ClientId = "Iv23liScenarioApp";

    private GitHubScenario(SimulatorHost gitHub, ScenarioClock clock, SimulatedApp app, string dataDirectory, Action<SimulatedApp>? configureApp)
    {
        GitHub = gitHub;
        Clock = clock;
        App = app;
        DataDirectory = dataDirectory;
        (Api, Web) = SampleSeed.Seed(gitHub);
        configureApp?.Invoke(app);
        InstallationId = app.Install("acme");
    }

    public SimulatorHost GitHub { get; }

    /// <summary>The clock GitHub and the service both read (unless the options gave the simulator a clock of its own).</summary>
    public ScenarioClock Clock { get; }

    public SimulatedApp App { get; }

    public SimulatedRepository Api { get; }

    public SimulatedRepository Web { get; }

    public long InstallationId { get; }

    public string DataDirectory { get; }

    public IgorServiceHost? Service { get; private set; }

    public HttpClient Client => Service?.Client ?? throw new InvalidOperationException("the service is not started");

    /// <summary>Applied to the service's builder at every (re)start, for what configuration cannot say (Kestrel limits).</summary>
    public Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? ConfigureService { get; set; }

    /// <summary>Overrides applied on top of <see cref="BaseConfiguration"/> at every (re)start.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A scenario; <paramref name="configureApp"/> changes the App (its permissions, say) before it is installed.</summary>
    public static async Task<GitHubScenario> CreateAsync(GitHubSimulatorOptions? options = null, bool start = true, Action<SimulatedApp>? configureApp = null)
    {
        var clock = new ScenarioClock();
        options ??= new GitHubSimulatorOptions();
        if (options.TimeProvider == TimeProvider.System)
        {
            options.TimeProvider = clock;
        }

        var gitHub = await SimulatorHost.StartAsync(options);
        var scenario = new GitHubScenario(gitHub, clock, gitHub.CreateApp(AppId, ClientId), TestPaths.NewScratchDirectory(), configureApp);
        if (start)
        {
            await scenario.StartServiceAsync();
        }

        return scenario;
    }

    public Dictionary<string, string?> BaseConfiguration() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["GitHub:Masters:0:Name"] = Master,
        ["GitHub:Masters:0:ApiUrl"] = GitHub.BaseAddress.ToString(),
        ["GitHub:Masters:0:AppId"] = AppId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["GitHub:Masters:0:PrivateKey"] = App.PrivateKeyPem,
        ["GitHub:Masters:0:Repositories:0"] = "acme/api",
        ["GitHub:Masters:0:Repositories:1"] = "acme/web",
        ["GitHub:Masters:0:Permissions:READ:0"] = "devs",
        ["GitHub:Masters:0:Permissions:WRITE:0"] = "releasers",
        ["GitHub:QueuePollInterval"] = "00:00:00.100",
        ["GitHub:CancelGracePeriod"] = "00:00:01",
        ["GitHub:StatusCacheDuration"] = "00:00:00.200",
        ["GitHub:RequestTimeout"] = "00:00:10",
        ["State:Sqlite:Path"] = Path.Combine(DataDirectory, "igor.db"),
        ["GitHub:ReconciliationInterval"] = "00:00:00",
        ["GitHub:WebhookGrace"] = "00:00:00.500",

        // Tests dispatch in bursts GitHub would not see from one installation; the spacing's own test sets it.
        ["GitHub:ContentRequestSpacing"] = "00:00:00",

        // Runs here complete and are read back within milliseconds; the tests of late artifact listings set it.
        ["GitHub:ArtifactSettleTime"] = "00:00:00",
        ["Echo:RetryDelay"] = "00:00:00.100",
        ["Echo:MaxRetryDelay"] = "00:00:00.500",
        ["Echo:PollInterval"] = "00:00:00.100",
        ["Stages:Secret"] = StagesSecret,
        ["Deployments:EventsSecret"] = EventsSecret,
    };

    public const string WebhookSecret = "It's a Secret to Everybody";

    /// <summary>The Deployments:EventsSecret every scenario starts with (/echo/events is off without one).</summary>
    public const string EventsSecret = "events-secret-0123456789abcdef012345";

    /// <summary>The Stages:Secret every scenario starts with (the stage routes are off without one).</summary>
    public const string StagesSecret = "stages-secret-0123456789abcdef0123456789";

    /// <summary>Sends the App's webhooks to the service, and the service's events to <paramref name="echo"/>.</summary>
    public async Task ConnectWebhooksAsync(FakeEcho echo, bool restart = true)
    {
        Settings["GitHub:WebhookSecret"] = WebhookSecret;
        Settings["Echo:BaseUrl"] = echo.BaseAddress.ToString();
        if (restart)
        {
            await RestartServiceAsync();
        }

        GitHub.Webhooks.Secret = WebhookSecret;
        GitHub.Webhooks.Url = new Uri(Service!.BaseAddress, "webhooks/github");
    }

    public async Task StartServiceAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        var configuration = BaseConfiguration();
        foreach (var (key, value) in Settings)
        {
            configuration[key] = value;
        }

        Service = await IgorServiceHost.StartAsync(configuration, builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(Clock);
            ConfigureService?.Invoke(builder);
        });
    }

    /// <summary>Stops the service and starts a new one on the same store, as a restart in production.</summary>
    public Task RestartServiceAsync() => StartServiceAsync();

    /// <summary>
    /// The service's configuration as a YAML file (for <see cref="ServiceProcess"/>): this scenario's master and store,
    /// webhooks with <see cref="WebhookSecret"/>, and Echo at <paramref name="echo"/> when given.
    /// </summary>
    public string WriteServiceConfig(FakeEcho? echo = null)
    {
        var key = string.Join('\n', App.PrivateKeyPem.Trim().Split('\n').Select(l => "        " + l.TrimEnd('\r')));
        var yaml = new StringBuilder()
            .AppendLine("GitHub:")
            .AppendLine($"  WebhookSecret: \"{GitHubScenario.WebhookSecret}\"")
            .AppendLine("  QueuePollInterval: \"00:00:00.100\"")
            .AppendLine("  StatusCacheDuration: \"00:00:00.200\"")
            .AppendLine("  WebhookGrace: \"00:00:00.500\"")
            .AppendLine("  ReconciliationInterval: \"00:00:00\"")
            .AppendLine("  Masters:")
            .AppendLine($"    - Name: {GitHubScenario.Master}")
            .AppendLine($"      ApiUrl: {GitHub.BaseAddress}")
            .AppendLine($"      AppId: \"{GitHubScenario.AppId}\"")
            .AppendLine("      Repositories: [acme/api]")
            .AppendLine("      PrivateKey: |")
            .AppendLine(key)
            .AppendLine("Echo:")
            .AppendLine($"  BaseUrl: {echo?.BaseAddress.ToString() ?? "\"\""}")
            .AppendLine("  RetryDelay: \"00:00:00.100\"")
            .AppendLine("  MaxRetryDelay: \"00:00:00.300\"")
            .AppendLine("  RequestTimeout: \"00:00:02\"")
            .AppendLine("State:")
            .AppendLine("  Sqlite:")
            .AppendLine($"    Path: {Path.Combine(DataDirectory, "igor.db")}")
            .ToString();
        var path = Path.Combine(DataDirectory, "igor.yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>The running service's store.</summary>
    internal global::Igor.GitHubActions.State.IStateStore Store =>
        (global::Igor.GitHubActions.State.IStateStore)Service!.Services.GetService(typeof(global::Igor.GitHubActions.State.IStateStore))!;

    /// <summary>Waits until Echo accepted everything in the outbox (nothing pending).</summary>
    public Task WaitForIdleOutboxAsync() =>
        Poll.UntilAsync(async () => await Store.Outbox.CountPendingAsync(CancellationToken.None) == 0);

    public async ValueTask DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        await GitHub.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS is left to the temp cleaner.
        }
    }
}
