using System.Diagnostics;
using System.Net;
using Igor.GitHubActions.Testing;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Logs;

/// <summary>Job logs are streamed from GitHub to the caller on every log route: a 200 MB log passes through with the service's memory flat.</summary>
[CancelAfter(120_000)]
public sealed class LogStreamingTests
{
    private const long LogBytes = 200L * 1024 * 1024;
    private const long AllowedGrowth = 50L * 1024 * 1024;

    /// <summary>Every route that serves a job's log: the raw log, the HTML page, Jenkins' consoleText, Deck's CI output.</summary>
    [TestCase("raw", "text/plain")]
    [TestCase("page", "text/html")]
    [TestCase("consoleText", "text/plain")]
    [TestCase("ci-output", "application/json")]
    public async Task LogRoute_200MegabyteLog_IsStreamedWithFlatMemory(string route, string mediaType)
    {
        await using var scenario = await GitHubScenario.CreateAsync();
        var run = scenario.Api.GetWorkflow("build.yml").CreateRun();
        run.Start();
        var job = run.AddJob("huge", () => new GeneratedStream(LogBytes));
        run.Complete("success");
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = Process.GetCurrentProcess().WorkingSet64;
        var logs = $"logs/{GitHubScenario.Master}/acme/api/{run.Id}";
        var path = route switch
        {
            "raw" => $"{logs}/jobs/{job.Id}/raw",
            "page" => $"{logs}/",
            "consoleText" => $"{logs}/consoleText",
            _ => $"ci/builds/{run.Id}/output",
        };

        using var response = await scenario.Client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
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
        total.Should().BeGreaterThanOrEqualTo(LogBytes, "the whole log went through (the page and JSON add markup)");
        growth.Should().BeLessThan(AllowedGrowth);
    }
}
