using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>The real service on Kestrel, bound to a free loopback port, with configuration given in memory.</summary>
public sealed class IgorServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IgorServiceHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Logs = app.Services.GetRequiredService<FakeLogCollector>();
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _app.Services;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> StartsByFixture = new(StringComparer.Ordinal);

    /// <summary>How many services the test run has started (the suite's cost; printed at its end).</summary>
    public static int Starts => StartsByFixture.Values.Sum();

    /// <summary>The fixtures that started the most services.</summary>
    public static IEnumerable<KeyValuePair<string, int>> MostStarts(int count) => StartsByFixture.OrderByDescending(f => f.Value).Take(count);

    public static async Task<IgorServiceHost> StartAsync(IReadOnlyDictionary<string, string?> configuration, Action<WebApplicationBuilder>? configure = null)
    {
        StartsByFixture.AddOrUpdate(TestContext.CurrentContext.Test.ClassName ?? "?", 1, (_, n) => n + 1);
        var app = IgorGitHubActionsHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Testing"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddFakeLogging();
            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // A start refused by validation must not leave the listener or the store open for the next test.
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new IgorServiceHost(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>Every log line so far, formatted, for asserting that secrets never appear.</summary>
    public string AllLogText() => string.Join('\n', Logs.GetSnapshot().Select(r => $"{r.Level} {r.Category} {r.Message} {r.Exception}"));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
