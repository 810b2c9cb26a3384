using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Igor.GitHubActions.Testing;

namespace Igor.GitHubActions.Benchmarks;

/// <summary>
/// A stranger's cost: many concurrent unsigned webhook bodies of nearly the largest size GitHub sends, streamed (the
/// sender holds nothing), while the service's resident memory is sampled; then one signed 20 MB delivery, which must
/// still be accepted.
/// </summary>
internal static class WebhookFlood
{
    public static async Task<string> RunAsync(int senders, long bodyBytes)
    {
        await using var env = await BenchEnvironment.StartAsync(webhooks: false);

        // Warm-up: the same path once with a small body (JIT, pools, the first temporary file), so "before" is steady state.
        await Task.WhenAll(Enumerable.Range(0, senders).Select(i => SendUnsignedAsync(env, 1024 * 1024, $"warm-{i}")));
        var before = await SettledResidentAsync();
        using var sampling = new CancellationTokenSource();
        long peak = before;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Resident());
                await Task.Delay(20, CancellationToken.None);
            }
        });

        var watch = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, senders).Select(i => SendUnsignedAsync(env, bodyBytes, $"flood-{i}")));
        var flooded = watch.Elapsed;
        sampling.Cancel();
        await sampler;

        var large = Encoding.UTF8.GetBytes("{\"zen\":\"" + new string('z', 20 * 1024 * 1024) + "\"}");
        using var signed = new HttpRequestMessage(HttpMethod.Post, "webhooks/github") { Content = new ByteArrayContent(large) };
        signed.Content.Headers.ContentType = new("application/json");
        signed.Headers.Add("X-GitHub-Event", "ping");
        signed.Headers.Add("X-GitHub-Delivery", "signed-20mb");
        signed.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(BenchEnvironment.Secret), large)));
        using var accepted = await env.Client.SendAsync(signed);

        return string.Create(CultureInfo.InvariantCulture,
            $"  {senders} concurrent unsigned {bodyBytes / (1024 * 1024)} MB bodies: {answers.Count(a => a == HttpStatusCode.Unauthorized)} answered 401 in {flooded.TotalSeconds:0.0} s; " +
            $"resident memory {Mb(before)} MB before, at most {Mb(peak)} MB during (+{Mb(peak - before)} MB; target: within 100 MB)\n" +
            $"  a signed {large.Length / (1024 * 1024)} MB delivery afterwards: {(int)accepted.StatusCode} {accepted.StatusCode}\n");
    }

    private static async Task<HttpStatusCode> SendUnsignedAsync(BenchEnvironment env, long bodyBytes, string delivery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/github") { Content = new StreamContent(new GeneratedStream(bodyBytes)) };
        request.Content.Headers.ContentType = new("application/json");
        request.Content.Headers.ContentLength = bodyBytes;
        request.Headers.Add("X-GitHub-Event", "workflow_run");
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + new string('0', 64));
        using var response = await env.Client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<long> SettledResidentAsync()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        await Task.Delay(200);
        return Resident();
    }

    private static long Resident()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static long Mb(long bytes) => bytes / (1024 * 1024);
}
