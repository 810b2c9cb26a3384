using System.Net;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Operations;

/// <summary>/metrics and the GitHub API budget: the rate limit read from GitHub's headers drives optional work.</summary>
[CancelAfter(120_000)]
public sealed class MetricsAndBudgetTests : ScenarioTest
{

    [Test]
    public async Task Metrics_ExposeRequestsRateLimitPerInstallationAndHttpRoutes()
    {
        (await Scenario.Client.GetAsync($"jobs/{GitHubScenario.Master}/acme/api/deploy.yml")).EnsureSuccessStatusCode();

        using var response = await Scenario.Client.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        text.Should().Contain($"igor_github_rate_limit_remaining{{master=\"{GitHubScenario.Master}\",installation=\"{Scenario.InstallationId}\"}}");
        text.Should().Contain("igor_github_requests_total{");
        text.Should().MatchRegex(@"http_request_duration_seconds_count\{code=""2xx"",method=""GET"",controller="""",action="""",endpoint=""/jobs/\{master\}/\{\*\*job\}""\} [1-9]",
            "requests are counted by route and status");
        text.Should().Contain("igor_outbox_depth").And.Contain("igor_webhook_lag_seconds").And.Contain("igor_dispatch_correlation_seconds");
        foreach (var token in Scenario.App.IssuedTokens)
        {
            text.Should().NotContain(token);
        }
    }

    [Test]
    public async Task RateLimitDownToReserve_PostponesReconciliation()
    {
        (await Scenario.Client.GetAsync($"jobs/{GitHubScenario.Master}/acme/api/deploy.yml")).EnsureSuccessStatusCode();
        Scenario.Settings["GitHub:WorkflowCacheDuration"] = "00:00:00";
        Scenario.Settings["Echo:BaseUrl"] = "http://127.0.0.1:9/";
        Scenario.Settings["GitHub:ReconciliationInterval"] = "00:00:00.200";
        await Scenario.RestartServiceAsync();
        // The limit is counted per installation: 4,800 of 5,000 used leaves less than the 500 reserve.
        Scenario.GitHub.SetRateLimitUsed(Scenario.App.IssuedTokens[0], 4_800);

        (await Scenario.Client.GetAsync($"jobs/{GitHubScenario.Master}")).EnsureSuccessStatusCode();
        await WaitForLogAsync("postponed");

        Scenario.Service!.AllLogText().Should().Contain("rate limit is down to its reserve");
    }

    [Test]
    public async Task PrimaryRateLimitUsedUp_RequestsAreHeldBackUntilReset_AndAnswer503()
    {
        (await Scenario.Client.GetAsync($"jobs/{GitHubScenario.Master}/acme/api/deploy.yml")).EnsureSuccessStatusCode();
        Scenario.GitHub.SetRateLimitUsed(Scenario.App.IssuedTokens[0], 5_000);

        using var first = await Scenario.Client.GetAsync($"builds/status/1/{GitHubScenario.Master}?job=acme%2Fapi%2Fbuild.yml");
        var sent = Scenario.GitHub.Requests.Count;
        using var second = await Scenario.Client.GetAsync($"builds/status/2/{GitHubScenario.Master}?job=acme%2Fapi%2Fbuild.yml");

        first.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "Orca retries a 503");
        second.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await second.Content.ReadAsStringAsync()).Should().Contain("rate limit");
        Scenario.GitHub.Requests.Count.Should().Be(sent, "nothing is sent to GitHub until x-ratelimit-reset");
    }

    private async Task WaitForLogAsync(string text)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (!Scenario.Service!.AllLogText().Contains(text, StringComparison.Ordinal))
        {
            if (elapsed.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"no log line with '{text}'");
            }

            // The reconciler logs on its own timer; there is no other signal to wait on.
            await Task.Delay(50);
        }
    }
}
