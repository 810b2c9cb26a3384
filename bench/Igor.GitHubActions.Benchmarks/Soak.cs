using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace Igor.GitHubActions.Benchmarks;

/// <summary>
/// A sped-up stretch of operation on one replica: signed deliveries of distinct runs and Jenkins-stage builds (many at
/// once) go on while <c>State:Retention</c> is seconds long, so the run covers many retention periods. Every slice prints
/// resident memory, the managed heap, the store's size and the status endpoint's p50/p99: after warm-up memory and store
/// size should stay flat (bounded by the retention), and the p99 should not grow.
/// </summary>
internal static partial class Soak
{
    public static async Task<string> RunAsync(
        string provider, Dictionary<string, string?> settings, int deliveries, int builds, int concurrency, TimeSpan retention, int slices, int perSecond)
    {
        var configuration = new Dictionary<string, string?>(settings)
        {
            ["State:Retention"] = retention.ToString("c", CultureInfo.InvariantCulture),
            ["State:PruneInterval"] = (retention / 5).ToString("c", CultureInfo.InvariantCulture),
            ["GitHub:QueuePollInterval"] = "00:00:00.200",
        };
        await using var env = await BenchEnvironment.StartAsync(webhooks: false, configuration);
        var template = env.GitHub.Webhooks.WorkflowRunPayload(env.Api.GetWorkflow("build.yml").CreateRun("push"), "completed").ToJsonString();
        var statusRun = env.Api.GetWorkflow("build.yml").CreateRun("push");
        statusRun.Complete("success");
        var statusPath = $"builds/status/{statusRun.RunNumber}/github-actions?job=acme%2Fapi%2Fbuild.yml";
        ConnectionMultiplexer? redis = settings.TryGetValue("State:Redis:Configuration", out var redisAddress) && redisAddress is not null
            ? await ConnectionMultiplexer.ConnectAsync(redisAddress + ",allowAdmin=true")
            : null;

        var report = new StringBuilder().AppendLine(CultureInfo.InvariantCulture,
            $"  {provider} store, retention {retention.TotalSeconds:0} s: {deliveries} signed deliveries of distinct runs ({perSecond}/s) and {builds} builds ({concurrency} at once), in {slices} slices");
        report.AppendLine("    slice  elapsed  deliveries  builds  resident MB  heap MB  store MB  status p50 ms  p99 ms");
        var clock = Stopwatch.StartNew();
        var sent = 0;
        var started = 0;
        for (var slice = 1; slice <= slices; slice++)
        {
            var deliveryTarget = deliveries * slice / slices;
            var buildTarget = builds * slice / slices;
            var buildsTask = StartBuildsAsync(env, started, buildTarget, concurrency);
            await SendDeliveriesAsync(env, template, sent, deliveryTarget, concurrency);
            await buildsTask;

            // A steady pace the service keeps up with, as in production: the store then holds about a retention's worth.
            var due = TimeSpan.FromSeconds((double)deliveryTarget / perSecond);
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            (sent, started) = (deliveryTarget, buildTarget);
            var (p50, p99) = await StatusLatencyAsync(env.Client, statusPath, 400);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var self = Process.GetCurrentProcess();
            report.AppendLine(CultureInfo.InvariantCulture,
                $"    {slice,5}  {clock.Elapsed.TotalSeconds,6:0} s  {sent,10}  {started,6}  {self.WorkingSet64 / (1024.0 * 1024),11:0}  {GC.GetTotalMemory(false) / (1024.0 * 1024),7:0}  {await StoreBytesAsync(env, redis) / (1024.0 * 1024),8:0.0}  {p50,13:0.00}  {p99,6:0.00}");
        }

        if (redis is not null)
        {
            await redis.DisposeAsync();
        }

        return report.ToString();
    }

    private static async Task SendDeliveriesAsync(BenchEnvironment env, string template, int from, int to, int concurrency)
    {
        var next = from;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, 32)).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next) - 1; i < to; i = Interlocked.Increment(ref next) - 1)
            {
                // A distinct run per delivery: its snapshot and run-index entry are new rows for retention to prune.
                var payload = Encoding.UTF8.GetBytes(RunId().Replace(template, $"\"id\":{9_000_000_000L + i}", 1));
                using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/github") { Content = new ByteArrayContent(payload) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add("X-GitHub-Event", "workflow_run");
                request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
                request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(BenchEnvironment.Secret), payload)));
                using var response = await env.Client.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"delivery answered {(int)response.StatusCode}");
                }
            }
        }));
    }

    private static async Task StartBuildsAsync(BenchEnvironment env, int from, int to, int concurrency)
    {
        var next = from;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next) - 1; i < to; i = Interlocked.Increment(ref next) - 1)
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, $"masters/github-actions/jobs/acme/api/deploy.yml?version=soak-{i}")
                {
                    Content = new StringContent("\"1767225600000\"", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("X-SPINNAKER-EXECUTION-ID", $"soak-{i}:stage:1");
                using var response = await env.Client.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"start answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                // The run finishes at once: its queue item is closed and falls to retention.
                foreach (var run in env.Api.GetWorkflow("deploy.yml").Runs.Where(r => r.Status != "completed"))
                {
                    run.Complete("success");
                }
            }
        }));
    }

    private static async Task<(double P50, double P99)> StatusLatencyAsync(HttpClient client, string path, int requests)
    {
        var latencies = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(path);
            await response.Content.LoadIntoBufferAsync();
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        return (latencies[requests / 2], latencies[(int)(requests * 0.99)]);
    }

    private static async Task<long> StoreBytesAsync(BenchEnvironment env, ConnectionMultiplexer? redis)
    {
        if (redis is null)
        {
            return Directory.EnumerateFiles(env.DataDirectory).Sum(f => new FileInfo(f).Length);
        }

        var info = await redis.GetServer(redis.GetEndPoints()[0]).InfoAsync("memory");
        var used = info.SelectMany(g => g).First(p => p.Key == "used_memory").Value;
        return long.Parse(used, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("\"id\":[0-9]+")]
    private static partial Regex RunId();
}
