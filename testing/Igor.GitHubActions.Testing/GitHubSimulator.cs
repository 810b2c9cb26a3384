using Igor.GitHubActions.Testing.Auth;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.Routes;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Igor.GitHubActions.Testing;

/// <summary>A stateful GitHub REST API on loopback Kestrel. Every route is served at the root (github.com style) and under <c>/api/v3</c> (GHES style).</summary>
public sealed class GitHubSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatorCore _core;

    private GitHubSimulator(WebApplication app, SimulatorCore core)
    {
        _app = app;
        _core = core;
    }

    /// <summary>The github.com-style API root, e.g. <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri BaseAddress => _core.BaseAddress;

    /// <summary><see cref="BaseAddress"/> + <c>api/v3/</c>.</summary>
    public Uri EnterpriseApiUrl => new(_core.BaseAddress, "api/v3/");

    public GitHubSimulatorOptions Options => _core.Options;

    public FaultInjector Faults => _core.Faults;

    /// <summary>Requests that arrived while their caller was under a secondary rate limit (GitHub may ban an integration that does this).</summary>
    public int SecondaryLimitViolations => _core.SecondaryLimits.Violations;

    /// <summary>How many times a caller went past <see cref="GitHubSimulatorOptions.ContentCreationLimitPerMinute"/>.</summary>
    public int ContentCreationLimitsHit => _core.SecondaryLimits.LimitsHit;

    /// <summary>Outgoing webhooks: target URL, secret, deliveries.</summary>
    public SimulatedWebhooks Webhooks => _core.Webhooks!;

    /// <summary>The user that personal access tokens and test-created runs act as.</summary>
    public Account DefaultUser => _core.DefaultActor;

    /// <summary>A thread-safe snapshot of every request received so far.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _core.Requests.Snapshot();

    /// <summary>Raised when a run is created (by a dispatch or a test), outside the simulator lock; use it to script run progress.</summary>
    public event Action<SimulatedRun>? RunCreated
    {
        add => _core.RunCreated += value;
        remove => _core.RunCreated -= value;
    }

    public static async Task<GitHubSimulator> StartAsync(GitHubSimulatorOptions? options = null)
    {
        var core = new SimulatorCore(options ?? new GitHubSimulatorOptions());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(core.Options.Url);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.UsePathBase("/api/v3");
        var middleware = new SimulatorMiddleware(core);
        app.Use((context, next) => middleware.InvokeAsync(context, () => next(context)));
        app.UseRouting();
        AppRoutes.Map(app, core);
        MetaRoutes.Map(app, core);
        RepositoryRoutes.Map(app, core);
        ContentRoutes.Map(app, core);
        WorkflowRoutes.Map(app, core);
        DispatchRoutes.Map(app, core);
        RunRoutes.Map(app, core);
        JobRoutes.Map(app, core);
        ArtifactRoutes.Map(app, core);
        BlobRoutes.Map(app, core);
        DeploymentRoutes.Map(app, core);
        StatusRoutes.Map(app, core);
        HookRoutes.Map(app, core);
        TeamRoutes.Map(app, core);
        ManifestRoutes.Map(app, core);
        app.MapFallback(() => ApiErrors.NotFound());
        await app.StartAsync();
        core.BaseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/");
        core.Webhooks = new SimulatedWebhooks(core);
        return new GitHubSimulator(app, core);
    }

    /// <summary>Registers a GitHub App with a fresh RSA 2048 key pair.</summary>
    public SimulatedApp CreateApp(long appId, string clientId, string slug = "spinnaker-igor")
    {
        lock (_core.Sync)
        {
            var app = new SimulatedApp(_core, appId, clientId, slug);
            _core.Apps[appId] = app;
            return app;
        }
    }

    public SimulatedRepository AddRepository(string owner, string name, string defaultBranch = "main")
    {
        lock (_core.Sync)
        {
            var repository = new SimulatedRepository(_core, owner, name, defaultBranch);
            _core.Repositories[repository.FullName] = repository;
            return repository;
        }
    }

    public SimulatedRepository GetRepository(string owner, string name) =>
        _core.FindRepository(owner, name) ?? throw new KeyNotFoundException($"No repository {owner}/{name}.");

    /// <summary>Creates a team of an organization (no repositories until <see cref="SimulatedTeam.Grant"/>).</summary>
    public SimulatedTeam AddTeam(string organization, string slug)
    {
        lock (_core.Sync)
        {
            var team = new SimulatedTeam(organization, slug, _core.Ids.Next(IdKind.Account));
            _core.Teams[$"{organization}/{slug}"] = team;
            return team;
        }
    }

    /// <summary>Every registered App, those created through the manifest flow included.</summary>
    public IReadOnlyList<SimulatedApp> Apps
    {
        get
        {
            lock (_core.Sync)
            {
                return _core.Apps.Values.ToList();
            }
        }
    }

    /// <summary>Issues a personal access token (not an App) that can access every repository; <paramref name="token"/> picks its text.</summary>
    public string AddPersonalAccessToken(string? token = null)
    {
        token ??= TokenFactory.PersonalAccessToken();
        lock (_core.Sync)
        {
            _core.Tokens[token] = new TokenRecord
            {
                Token = token,
                Permissions = new Dictionary<string, string>(),
                Actor = _core.DefaultActor,
            };
        }

        return token;
    }

    /// <summary>Revokes an installation token or PAT: later requests with it answer 401.</summary>
    public void RevokeToken(string token)
    {
        lock (_core.Sync)
        {
            if (_core.Tokens.TryGetValue(token, out var record))
            {
                record.Revoked = true;
            }
        }
    }

    /// <summary>Sets how many requests of the current rate-limit window the token's bucket has used (e.g. limit - 1 to hit the limit next).</summary>
    public void SetRateLimitUsed(string token, int used)
    {
        string key;
        lock (_core.Sync)
        {
            key = _core.Tokens.TryGetValue(token, out var record) && record.Installation is { } installation
                ? $"installation:{installation.Id}"
                : record is not null ? $"user:{record.Actor.Id}" : token;
        }

        _core.RateLimits.Get(key, _core.Options.RateLimitPerHour, _core.Now);
        _core.RateLimits.SetUsed(key, used);
    }

    public void ClearRequests() => _core.Requests.Clear();

    /// <summary>Completes with the first request (already received or future) matching <paramref name="predicate"/>; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _core.Requests.WaitAsync(predicate, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _core.Webhooks?.Dispose();
        _core.DisposeActionsApp();
        lock (_core.Sync)
        {
            foreach (var app in _core.Apps.Values)
            {
                app.Dispose();
            }
        }
    }
}
