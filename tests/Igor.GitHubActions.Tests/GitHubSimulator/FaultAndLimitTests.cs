using System.Net;
using System.Text.RegularExpressions;
using Igor.GitHubActions.Testing;

namespace Igor.GitHubActions.Tests.GitHubSimulator;

public sealed class FaultAndLimitTests
{
    private SimulatorHarness _h = null!;
    private string _token = null!;

    [SetUp]
    public async Task SetUp()
    {
        _h = await SimulatorHarness.StartAsync();
        _token = await _h.InstallationTokenAsync();
    }

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    private Task<HttpResponseMessage> GetRuns() => _h.SendAsync(HttpMethod.Get, "/repos/acme/api/actions/runs", _token);

    [Test]
    public async Task FailNext_ForACount_AnswersTheStatusThenRecovers()
    {
        var fault = _h.Sim.Faults.FailNext("GET", "/repos/acme/api/actions/runs", 2, 503);

        using var first = await GetRuns();
        using var second = await GetRuns();
        using var third = await GetRuns();
        using var other = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", _token);

        first.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        second.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        third.StatusCode.Should().Be(HttpStatusCode.OK);
        other.StatusCode.Should().Be(HttpStatusCode.OK);
        fault.Hits.Should().Be(2);
        _h.Sim.Faults.Active.Should().BeEmpty();
        _h.Sim.Requests.Select(r => r.StatusCode).Should().ContainInOrder(503, 503, 200);
    }

    [Test]
    public async Task SecondaryRateLimit_Answered_CarriesRetryAfter()
    {
        _h.Sim.Faults.RateLimitNext("GET", "/repos/acme/api/actions/runs", RateLimitKind.Secondary403, wait: TimeSpan.FromSeconds(30));

        using var response = await GetRuns();

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        response.Headers.GetValues("retry-after").Single().Should().Be("30");
        (await SimulatorHarness.MessageAsync(response)).Should().StartWith("You have exceeded a secondary rate limit");
    }

    [Test]
    public async Task ContentCreation_PastTheLimitPerMinute_IsASecondaryLimit_RequestsInsideThePenaltyCounted()
    {
        _h.Sim.Options.ContentCreationLimitPerMinute = 2;
        _h.Sim.Options.SecondaryLimitPenalty = TimeSpan.FromSeconds(30);
        Task<HttpResponseMessage> Dispatch() => _h.SendAsync(HttpMethod.Post, "/repos/acme/api/dispatches", _token, new { event_type = "go" });

        using var first = await Dispatch();
        using var second = await Dispatch();
        using var third = await Dispatch();
        using var during = await GetRuns();
        _h.Time.Advance(TimeSpan.FromSeconds(61));
        using var after = await Dispatch();

        first.StatusCode.Should().Be(HttpStatusCode.NoContent);
        second.StatusCode.Should().Be(HttpStatusCode.NoContent);
        third.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        third.Headers.GetValues("retry-after").Single().Should().Be("30");
        (await SimulatorHarness.MessageAsync(third)).Should().StartWith("You have exceeded a secondary rate limit");
        during.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the whole caller is limited during the penalty, reads included");
        after.StatusCode.Should().Be(HttpStatusCode.NoContent, "a minute later the window is free again");
        _h.Sim.ContentCreationLimitsHit.Should().Be(1);
        _h.Sim.SecondaryLimitViolations.Should().Be(1);
    }

    [Test]
    public async Task SecondaryRateLimitFault_Injected_LimitsTheCallerForItsRetryAfter()
    {
        _h.Sim.Faults.RateLimitNext("GET", "/repos/acme/api/actions/runs", RateLimitKind.Secondary403, wait: TimeSpan.FromSeconds(10));

        using var limited = await GetRuns();
        using var tooSoon = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", _token);
        _h.Time.Advance(TimeSpan.FromSeconds(11));
        using var later = await GetRuns();

        limited.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        tooSoon.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        later.StatusCode.Should().Be(HttpStatusCode.OK);
        _h.Sim.SecondaryLimitViolations.Should().Be(1);
    }

    [Test]
    public async Task PrimaryRateLimitFault_Injected_SetsRemainingZeroAndReset()
    {
        _h.Sim.Faults.RateLimitNext("*", "/repos/acme/api", RateLimitKind.Primary429, wait: TimeSpan.FromMinutes(2));

        using var response = await GetRuns();

        response.StatusCode.Should().Be((HttpStatusCode)429);
        response.Headers.GetValues("x-ratelimit-remaining").Single().Should().Be("0");
        response.Headers.GetValues("x-ratelimit-reset").Single().Should().Be(_h.Time.GetUtcNow().AddMinutes(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task ResetNext_Injected_AbortsTheConnection()
    {
        _h.Sim.Faults.ResetNext("GET", "/repos/acme/api/actions/runs");

        var act = () => GetRuns();

        await act.Should().ThrowAsync<HttpRequestException>();
        using var after = await GetRuns();
        after.StatusCode.Should().Be(HttpStatusCode.OK);
        (await _h.Sim.WaitForRequestAsync(r => r.StatusCode == 0, TimeSpan.FromSeconds(10))).ApiPath.Should().Be("/repos/acme/api/actions/runs");
    }

    [Test]
    public async Task DelayNext_Injected_SlowsTheResponse_AClientTimeoutCancelsIt()
    {
        _h.Sim.Faults.DelayNext("GET", "/repos/acme/api/actions/runs", TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var act = () => _h.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "repos/acme/api/actions/runs") { Headers = { { "Authorization", $"Bearer {_token}" } } }, cts.Token);

        await act.Should().ThrowAsync<TaskCanceledException>();
        var recorded = await _h.Sim.WaitForRequestAsync(r => r.ApiPath == "/repos/acme/api/actions/runs", TimeSpan.FromSeconds(10));
        recorded.StatusCode.Should().Be(0);
    }

    [Test]
    public async Task Fault_WithARegex_MatchesPaths()
    {
        _h.Sim.Faults.Add(new Fault { Method = "GET", PathPattern = new Regex("/actions/runs/\\d+$"), StatusCode = 502, Times = int.MaxValue });
        var run = _h.Repo.AddWorkflow("ci.yml", "on: push\njobs: {}\n").CreateRun();

        using var single = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/actions/runs/{run.Id}", _token);
        using var list = await GetRuns();

        single.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        list.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task WaitForRequest_Called_SeesPastAndFutureRequests()
    {
        using var first = await GetRuns();
        var past = await _h.Sim.WaitForRequestAsync(r => r.ApiPath == "/repos/acme/api/actions/runs", TimeSpan.FromSeconds(1));
        var future = _h.Sim.WaitForRequestAsync(r => r.Method == "POST" && r.ApiPath.EndsWith("/dispatches", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        using var dispatch = await _h.SendAsync(HttpMethod.Post, "/repos/acme/api/dispatches", _token, new { event_type = "go" });

        past.StatusCode.Should().Be(200);
        (await future).Body.Should().Contain("\"event_type\":\"go\"");
        var timeout = () => _h.Sim.WaitForRequestAsync(r => r.Method == "DELETE", TimeSpan.FromMilliseconds(50));
        await timeout.Should().ThrowAsync<TimeoutException>();
    }

    [Test]
    public async Task Responses_Any_CarryRateLimitHeadersCountedPerInstallation()
    {
        var otherToken = await _h.InstallationTokenAsync();

        using var first = await GetRuns();
        using var second = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", otherToken);

        first.Headers.GetValues("x-ratelimit-limit").Single().Should().Be("5000");
        first.Headers.GetValues("x-ratelimit-resource").Single().Should().Be("core");
        first.Headers.GetValues("x-ratelimit-used").Single().Should().Be("1");
        first.Headers.GetValues("x-ratelimit-reset").Single().Should().Be(_h.Time.GetUtcNow().AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        second.Headers.GetValues("x-ratelimit-used").Single().Should().Be("2");
        second.Headers.GetValues("x-ratelimit-remaining").Single().Should().Be("4998");
    }

    [Test]
    public async Task RateLimit_Exhausted_Answers403UntilTheWindowResets()
    {
        _h.Sim.Options.RateLimitPerHour = 2;
        using var first = await GetRuns();
        using var second = await GetRuns();
        using var limited = await GetRuns();
        _h.Time.Advance(TimeSpan.FromHours(1));
        var fresh = await _h.InstallationTokenAsync();
        using var afterReset = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/actions/runs", fresh);

        second.Headers.GetValues("x-ratelimit-remaining").Single().Should().Be("0");
        limited.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await SimulatorHarness.MessageAsync(limited)).Should().StartWith("API rate limit exceeded for installation ID");
        afterReset.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task ApiVersionHeader_Sent_IsRecorded_UnsupportedVersionsAre400()
    {
        using var supported = await GetRuns();
        using var unsupported = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/actions/runs", _token, configure: r =>
        {
            r.Headers.Remove("X-GitHub-Api-Version");
            r.Headers.Add("X-GitHub-Api-Version", "2021-01-01");
        });

        supported.StatusCode.Should().Be(HttpStatusCode.OK);
        _h.Sim.Requests.Should().Contain(r => r.Header("x-github-api-version") == "2022-11-28");
        unsupported.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
