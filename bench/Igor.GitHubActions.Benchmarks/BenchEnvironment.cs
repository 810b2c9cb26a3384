using System.Diagnostics;
using Igor.GitHubActions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sim = Igor.GitHubActions.Testing.GitHubSimulator;

namespace Igor.GitHubActions.Benchmarks;

/// <summary>The GitHub simulator with the sample organisation, and the service in front of it, on loopback.</summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    public const string Secret = "bench-secret";

    private BenchEnvironment(Sim gitHub, SimulatedRepository api, WebApplication service, HttpClient client, string dataDirectory)
    {
        GitHub = gitHub;
        Api = api;
        Service = service;
        Client = client;
        DataDirectory = dataDirectory;
    }

    public Sim GitHub { get; }

    public SimulatedRepository Api { get; }

    public WebApplication Service { get; }

    public HttpClient Client { get; }

    public string DataDirectory { get; }

    public static async Task<BenchEnvironment> StartAsync(bool webhooks, Dictionary<string, string?>? extra = null)
    {
        var gitHub = await Sim.StartAsync();

        // The benchmark compresses hours into seconds: GitHub's per-minute content limit and the service's spacing of
        // content-creating requests would measure the clock, not the service. Both are tested on their own.
        gitHub.Options.ContentCreationLimitPerMinute = int.MaxValue;
        var app = gitHub.CreateApp(1, "Iv23liBench", "igor-bench");
        var (api, _) = SampleSeed.Seed(gitHub);
        app.Install(SampleSeed.Owner);
        var data = Path.Combine(Path.GetTempPath(), "igor-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var configuration = new Dictionary<string, string?>
        {
            ["GitHub:Masters:0:Name"] = "github-actions",
            ["GitHub:Masters:0:ApiUrl"] = gitHub.BaseAddress.ToString(),
            ["GitHub:Masters:0:AppId"] = "1",
            ["GitHub:Masters:0:PrivateKey"] = app.PrivateKeyPem,
            ["GitHub:Masters:0:Repositories:0"] = "acme/api",
            ["GitHub:WebhookSecret"] = Secret,
            ["GitHub:ReconciliationInterval"] = "00:00:00",
            ["GitHub:ContentRequestSpacing"] = "00:00:00",
            ["State:Sqlite:Path"] = Path.Combine(data, "bench.db"),
        };
        foreach (var (key, value) in extra ?? [])
        {
            configuration[key] = value;
        }

        var service = IgorGitHubActionsHost.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.Logging.ClearProviders();
        });
        await service.StartAsync();
        var address = new Uri(service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        if (webhooks)
        {
            gitHub.Webhooks.Url = new Uri(address, "webhooks/github");
            gitHub.Webhooks.Secret = Secret;
            gitHub.Webhooks.DeliverWorkflowRuns = true;
        }

        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 };
        return new BenchEnvironment(gitHub, api, service, new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) }, data);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Service.StopAsync();
        await Service.DisposeAsync();
        await GitHub.DisposeAsync();
    }

    public static long ElapsedMs(Stopwatch watch) => watch.ElapsedMilliseconds;
}
