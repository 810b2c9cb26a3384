using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Igor.GitHubActions.Benchmarks;

/// <summary>
/// N builds of a given length, each followed by Orca's polls (queue, then status) at Orca's interval; counts the GitHub
/// requests the service made. Time can be scaled down: all durations, the poll interval and the status cache shrink
/// by the same factor, so the counts are those of the real timings.
/// </summary>
internal static partial class RequestsPerBuild
{
    public static async Task<string> RunAsync(bool webhooks, int builds, TimeSpan buildTime, TimeSpan pollInterval, double scale)
    {
        var scaledPoll = pollInterval / scale;
        await using var env = await BenchEnvironment.StartAsync(webhooks, new()
        {
            ["GitHub:StatusCacheDuration"] = (TimeSpan.FromSeconds(10) / scale).ToString("c", CultureInfo.InvariantCulture),
            ["GitHub:QueuePollInterval"] = (TimeSpan.FromSeconds(2) / scale).ToString("c", CultureInfo.InvariantCulture),
            ["GitHub:WebhookFreshness"] = (TimeSpan.FromMinutes(2) / scale).ToString("c", CultureInfo.InvariantCulture),
            ["GitHub:WebhookGrace"] = (TimeSpan.FromSeconds(10) / scale).ToString("c", CultureInfo.InvariantCulture),
        });
        using var runner = new Runner(env, buildTime / scale);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, builds).Select(i => OneBuildAsync(env.Client, i, scaledPoll)));
        var elapsed = watch.Elapsed;

        var requests = env.GitHub.Requests.Where(r => !r.Path.StartsWith("/_blobs", StringComparison.Ordinal)).ToArray();
        var counted = requests.Count(r => r.StatusCode != 304);
        int PerRunMax(Func<string, bool> which) => requests
            .Select(r => (Match: RunPath().Match(r.Path), r.At, r.Path))
            .Where(r => r.Match.Success && which(r.Path))
            .GroupBy(r => r.Match.Groups[1].Value)
            .Select(g => MaxInWindow(g.Select(r => r.At).Order().ToArray(), TimeSpan.FromSeconds(10) / scale))
            .DefaultIfEmpty(0)
            .Max();
        var runReads = PerRunMax(path => RunPath().Match(path).Length == path.Length);
        var perRun = PerRunMax(_ => true);
        var breakdown = string.Join(", ", requests.GroupBy(r => Kind(r.Method, r.Path)).OrderByDescending(g => g.Count())
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()} ({g.Count(r => r.StatusCode == 304)} × 304)")));
        return new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"  {(webhooks ? "with webhooks   " : "without webhooks")}: {builds} builds of {buildTime.TotalSeconds:0} s, Orca polling every {pollInterval.TotalSeconds:0} s (time scaled 1:{scale:0}, ran {elapsed.TotalSeconds:0.0} s)")
            .AppendLine(CultureInfo.InvariantCulture, $"    GitHub requests: {requests.Length} in all, {(double)requests.Length / builds:0.00} per build; counting against the rate limit (not 304): {counted}, {(double)counted / builds:0.00} per build")
            .AppendLine(CultureInfo.InvariantCulture, $"    by kind: {breakdown}")
            .AppendLine(CultureInfo.InvariantCulture, $"    most reads of one run's state (GET …/runs/{{id}}) within any 10 s: {runReads}; most requests about one run (state and artifact list) within any 10 s: {perRun}")
            .ToString();
    }

    private static int MaxInWindow(DateTimeOffset[] times, TimeSpan window)
    {
        var best = 0;
        for (int start = 0, end = 0; end < times.Length; end++)
        {
            while (times[end] - times[start] >= window)
            {
                start++;
            }

            best = Math.Max(best, end - start + 1);
        }

        return best;
    }

    private static async Task OneBuildAsync(HttpClient client, int index, TimeSpan poll)
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, $"masters/github-actions/jobs/acme/api/deploy.yml?version=1.0.{index}")
        {
            Content = new StringContent("\"1767225600000\"", Encoding.UTF8, "application/json"),
        };
        put.Headers.Add("X-SPINNAKER-EXECUTION-ID", $"bench-{index}");
        using var started = await client.SendAsync(put);
        var queueId = await started.Content.ReadAsStringAsync();
        started.EnsureSuccessStatusCode();
        int? number = null;
        while (number is null)
        {
            await Task.Delay(poll);
            number = JsonNode.Parse(await client.GetStringAsync($"builds/queue/github-actions/{queueId}"))!["number"]?.GetValue<int>();
        }

        while (true)
        {
            await Task.Delay(poll);
            using var status = await client.GetAsync($"builds/status/{number}/github-actions?job=acme%2Fapi%2Fdeploy.yml");
            if (status.IsSuccessStatusCode && !JsonNode.Parse(await status.Content.ReadAsStringAsync())!["building"]!.GetValue<bool>())
            {
                return;
            }
        }
    }

    private static string Kind(string method, string path) => (method, path) switch
    {
        ("POST", var p) when p.EndsWith("/dispatches", StringComparison.Ordinal) => "dispatch",
        (_, var p) when p.EndsWith("/artifacts", StringComparison.Ordinal) => "artifact list",
        (_, var p) when RunPath().Match(p).Length == p.Length => "run read",
        (_, var p) when p.EndsWith("/runs", StringComparison.Ordinal) => "run listing",
        (_, var p) when p.Contains("access_tokens", StringComparison.Ordinal) || p.EndsWith("/installation", StringComparison.Ordinal) => "token/installation (amortised)",
        _ => "workflow listing/file/repository (amortised)",
    };

    [GeneratedRegex("^/repos/acme/api/actions/runs/([0-9]+)")]
    private static partial Regex RunPath();

    /// <summary>Plays GitHub's runners: a queued run starts at once and succeeds after the build time.</summary>
    private sealed class Runner : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public Runner(BenchEnvironment env, TimeSpan buildTime) =>
            env.GitHub.RunCreated += run => _ = Task.Run(async () =>
            {
                run.Start();
                await Task.Delay(buildTime, _stop.Token);
                run.Complete("success");
            });

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }
}
