using System.Net;
using Igor.GitHubActions.Testing;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.GitHub;

/// <summary>
/// GitHub's secondary rate limits, as GitHub states them (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits):
/// after one, wait for <c>retry-after</c>, or at least a minute without one, before any further request; make
/// content-creating requests serially, at least a second apart. The simulator keeps its caller limited for the
/// penalty and counts every request that arrives inside it.
/// </summary>
[CancelAfter(120_000)]
public sealed class SecondaryRateLimitTests : ScenarioTest
{
    private const string Deploy = "acme/api/deploy.yml";
    private OrcaClient _orca = null!;

    protected override Task ConfigureAsync(GitHubScenario scenario)
    {
        // Every poll asks GitHub, so a test needs no wait for a cache to expire.
        scenario.Settings["GitHub:StatusCacheDuration"] = "00:00:00";
        return Task.CompletedTask;
    }

    [SetUp]
    public void SetUpFixture()
    {
        _orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);
    }

    [Test]
    public async Task SecondaryLimitWithRetryAfter_PausesTheWholeInstallation_UntilItEnds()
    {
        var number = await _orca.WaitForBuildNumberAsync(await _orca.StartOkAsync(Deploy, Version("1")));
        Scenario.GitHub.Faults.RateLimitNext("GET", "/repos/acme/api/actions/runs", RateLimitKind.Secondary403, wait: TimeSpan.FromSeconds(3));

        using var limited = await _orca.StatusAsync(Deploy, number);
        var message = await limited.Content.ReadAsStringAsync();
        limited.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "Orca retries a 503; " + message);
        message.Should().Contain("secondary rate limit").And.Contain("3 s");
        var limitedAt = Scenario.GitHub.Requests.Count;

        // Within the pause nothing of this installation goes to GitHub: not a poll, not a dispatch.
        using var poll = await _orca.StatusAsync(Deploy, number);
        poll.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await poll.Content.ReadAsStringAsync()).Should().Contain("holds the installation's requests back");
        using var start = await _orca.StartAsync(Deploy, Version("2"));
        start.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await start.Content.ReadAsStringAsync());
        Scenario.GitHub.Requests.Skip(limitedAt).Should().NotContain(r => r.ApiPath.StartsWith("/repos/", StringComparison.Ordinal));

        await Poll.UntilAsync(async () =>
        {
            using var after = await _orca.StatusAsync(Deploy, number);
            return after.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(20));
        Scenario.GitHub.SecondaryLimitViolations.Should().Be(0, "no request reached GitHub while it had asked the installation to wait");
    }

    [Test]
    public async Task SecondaryLimitWithoutRetryAfter_PausesAtLeastAMinute()
    {
        var number = await _orca.WaitForBuildNumberAsync(await _orca.StartOkAsync(Deploy, Version("1")));
        Scenario.GitHub.Faults.RateLimitNext("GET", "/repos/acme/api/actions/runs", RateLimitKind.SecondaryWithoutRetryAfter);
        var before = TimeProvider.System.GetUtcNow();

        using var limited = await _orca.StatusAsync(Deploy, number);
        limited.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await limited.Content.ReadAsStringAsync()).Should().Contain("wait 60 s");

        using var poll = await _orca.StatusAsync(Deploy, number);
        var message = await poll.Content.ReadAsStringAsync();
        poll.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, message);
        var until = DateTimeOffset.Parse(System.Text.RegularExpressions.Regex.Match(message, @"until (\S+Z)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        until.Should().BeOnOrAfter(before.AddSeconds(59), "GitHub: without retry-after, wait at least one minute");
        Scenario.GitHub.SecondaryLimitViolations.Should().Be(0);
    }

    [Test]
    public async Task ContentCreatingRequests_OfOneInstallation_AreSpaced()
    {
        Scenario.Settings["GitHub:ContentRequestSpacing"] = "00:00:00.400";
        await Scenario.RestartServiceAsync();
        var orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);

        await Task.WhenAll(Enumerable.Range(1, 4).Select(i => orca.StartOkAsync(Deploy, Version(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));

        var dispatches = Scenario.GitHub.Requests.Where(r => r.Method == "POST" && r.ApiPath.EndsWith("/dispatches", StringComparison.Ordinal))
            .Select(r => r.At).Order().ToArray();
        dispatches.Should().HaveCount(4);
        dispatches.Zip(dispatches.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap >= TimeSpan.FromMilliseconds(380),
            "GitHub asks for content-creating requests at least the spacing apart, not in a burst");
    }

    [Test]
    public async Task PastGitHubsContentCreationLimit_TheStartIsRetriedLater_AndNothingIsSentInsideThePenalty()
    {
        Scenario.GitHub.Options.ContentCreationLimitPerMinute = 3;
        Scenario.GitHub.Options.SecondaryLimitPenalty = TimeSpan.FromSeconds(5);
        for (var i = 1; i <= 3; i++)
        {
            await _orca.StartOkAsync(Deploy, Version(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        using var fourth = await _orca.StartAsync(Deploy, Version("4"));
        var message = await fourth.Content.ReadAsStringAsync();
        fourth.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "Orca retries a 503; " + message);
        message.Should().Contain("secondary rate limit");

        // A background read already in flight when GitHub started the penalty may still arrive inside it (no client can
        // recall a request it sent); what the service must not do is send anything once it has the 403.
        var inFlight = Scenario.GitHub.SecondaryLimitViolations;
        using var retried = await _orca.StartAsync(Deploy, Version("4"));
        retried.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        Scenario.GitHub.ContentCreationLimitsHit.Should().Be(1);
        Scenario.GitHub.SecondaryLimitViolations.Should().Be(inFlight, "Orca's retry inside the penalty is answered by the service, not sent");
        Scenario.Api.GetWorkflow("deploy.yml").Runs.Should().HaveCount(3);
    }

    private static Dictionary<string, string> Version(string version) => new() { ["version"] = version };
}
