using System.Diagnostics;
using System.Net;
using Igor.GitHubActions.GitHubSimulator;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Logs;

/// <summary>Job logs are streamed from GitHub to the caller: a 200 MB log passes through with the service's memory flat.</summary>
public sealed class LogStreamingTests
{
    private const long LogBytes = 200L * 1024 * 1024;
    private const long AllowedGrowth = 50L * 1024 * 1024;

    [Test]
    public async Task RawJobLog_200MegabyteLog_IsStreamedWithFlatMemory()
    {
        await using var scenario = await GitHubScenario.CreateAsync();
        var run = scenario.Api.GetWorkflow("build.yml").CreateRun();
        run.Start();
        var job = run.AddJob("huge", () => new GeneratedStream(LogBytes));
        run.Complete("success");
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = Process.GetCurrentProcess().WorkingSet64;

        using var response = await scenario.Client.GetAsync(
            $"logs/{GitHubScenario.Master}/acme/api/{run.Id}/jobs/{job.Id}/raw", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long total = 0, nextSample = 0, peak = baseline;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
            if (total >= nextSample)
            {
                // Live objects only (a full collection first): a buffered log would show up here, garbage would not.
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                nextSample += 20L * 1024 * 1024;
            }
        }

        var growth = peak - baseline;
        var workingSetGrowth = Process.GetCurrentProcess().WorkingSet64 - workingSetBefore;
        await TestContext.Out.WriteLineAsync(
            $"streamed {total / (1024 * 1024)} MB; managed heap peak growth {growth / (1024 * 1024.0):F1} MB; working set growth {workingSetGrowth / (1024 * 1024.0):F1} MB");
        total.Should().Be(LogBytes);
        growth.Should().BeLessThan(AllowedGrowth);
    }
}
