using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Igor.GitHubActions.Benchmarks;

/// <summary>Load from in-process HttpClients on loopback: requests per second and p99 latency.</summary>
internal static class Throughput
{
    /// <summary>
    /// The status endpoint next to a bare Kestrel endpoint serving the same bytes. The two are measured in alternating
    /// rounds after a warm-up of each, so drift of the shared machine (other load, CPU boost) hits both alike; the
    /// figures are medians over the rounds and the ratio is the median of the per-round ratios, with its range.
    /// </summary>
    public static async Task<string> StatusEndpointAsync(int clients, int rounds, TimeSpan roundDuration)
    {
        await using var env = await BenchEnvironment.StartAsync(webhooks: true);
        var run = env.Api.GetWorkflow("build.yml").CreateRun("push");
        run.Complete("success");
        await env.GitHub.Webhooks.DeliverAsync("workflow_run", env.GitHub.Webhooks.WorkflowRunPayload(run, "completed"));
        var path = $"builds/status/{run.RunNumber}/github-actions?job=acme%2Fapi%2Fbuild.yml";
        var body = await env.Client.GetByteArrayAsync(path);

        await using var bare = await BareEndpointAsync(body);
        await RunClientsAsync(bare.Client, "status", clients, TimeSpan.FromSeconds(2), null);
        await RunClientsAsync(env.Client, path, clients, TimeSpan.FromSeconds(2), null);
        var bareRounds = new List<(double PerSecond, double P99)>();
        var serviceRounds = new List<(double PerSecond, double P99)>();
        for (var i = 0; i < rounds; i++)
        {
            bareRounds.Add(await MeasureAsync(bare.Client, "status", clients, roundDuration));
            serviceRounds.Add(await MeasureAsync(env.Client, path, clients, roundDuration));
        }

        var ratios = bareRounds.Zip(serviceRounds, (b, s) => s.PerSecond / b.PerSecond).Order().ToArray();
        return new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture,
                $"  status endpoint, {clients} concurrent clients, {rounds} alternating rounds of {roundDuration.TotalSeconds:0} s each, {body.Length}-byte body (medians):")
            .AppendLine(CultureInfo.InvariantCulture, $"    service: {Median(serviceRounds.Select(r => r.PerSecond)):0} req/s, p99 {Median(serviceRounds.Select(r => r.P99)):0.00} ms")
            .AppendLine(CultureInfo.InvariantCulture,
                $"    bare Kestrel, fixed body of the same size: {Median(bareRounds.Select(r => r.PerSecond)):0} req/s, p99 {Median(bareRounds.Select(r => r.P99)):0.00} ms")
            .AppendLine(CultureInfo.InvariantCulture,
                $"    ratio: {Median(ratios):0.00} of the bare endpoint's throughput (rounds: {ratios[0]:0.00} to {ratios[^1]:0.00})")
            .ToString();
    }

    public static async Task<string> WebhookIntakeAsync(string provider, Dictionary<string, string?> settings, int clients, TimeSpan duration)
    {
        await using var env = await BenchEnvironment.StartAsync(webhooks: false, settings);
        var run = env.Api.GetWorkflow("build.yml").CreateRun("push");
        run.Complete("success");
        var payload = Encoding.UTF8.GetBytes(env.GitHub.Webhooks.WorkflowRunPayload(run, "completed").ToJsonString());
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(BenchEnvironment.Secret), payload));
        var result = await LoadAsync(env.Client, "webhooks/github", clients, duration, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/github") { Content = new ByteArrayContent(payload) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("X-GitHub-Event", "workflow_run");
            request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
            request.Headers.Add("X-Hub-Signature-256", signature);
            return request;
        });
        return string.Create(CultureInfo.InvariantCulture,
            $"  webhook intake ({provider} store, {clients} concurrent senders, {payload.Length}-byte signed deliveries): {result.PerSecond:0} accepted/s, p99 {result.P99:0.00} ms\n");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<(double PerSecond, double P99)> MeasureAsync(HttpClient client, string path, int clients, TimeSpan duration)
    {
        var (count, latencies) = await RunClientsAsync(client, path, clients, duration, null);
        latencies.Sort();
        return (count / duration.TotalSeconds, latencies[(int)(latencies.Count * 0.99)]);
    }

    private static async Task<(double PerSecond, double P99)> LoadAsync(
        HttpClient client, string path, int clients, TimeSpan duration, Func<HttpRequestMessage>? request = null)
    {
        // Warm up connections and code paths first.
        await RunClientsAsync(client, path, clients, TimeSpan.FromSeconds(1), request);
        var (count, latencies) = await RunClientsAsync(client, path, clients, duration, request);
        latencies.Sort();
        return (count / duration.TotalSeconds, latencies[(int)(latencies.Count * 0.99)]);
    }

    private static async Task<(int Count, List<double> Latencies)> RunClientsAsync(
        HttpClient client, string path, int clients, TimeSpan duration, Func<HttpRequestMessage>? request)
    {
        var latencies = new List<double>[clients];
        var deadline = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            latencies[c] = [];
            while (deadline.Elapsed < duration)
            {
                var watch = Stopwatch.StartNew();
                using var message = request?.Invoke() ?? new HttpRequestMessage(HttpMethod.Get, path);
                using var response = await client.SendAsync(message);
                await response.Content.LoadIntoBufferAsync();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
                }

                latencies[c].Add(watch.Elapsed.TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).ToList();
        return (all.Count, all);
    }

    private static async Task<BareEndpoint> BareEndpointAsync(byte[] body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/status", async context =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return new BareEndpoint(app, new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = address });
    }

    private sealed record BareEndpoint(WebApplication App, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
