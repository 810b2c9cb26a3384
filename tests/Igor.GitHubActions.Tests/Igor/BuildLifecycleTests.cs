using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Igor;

/// <summary>Orca's Jenkins stage, call by call (contract §2), against the simulator: start, wait, monitor, finish.</summary>
[CancelAfter(120_000)]
public sealed class BuildLifecycleTests : ScenarioTest
{
    private const string Deploy = "acme/api/deploy.yml";
    private OrcaClient _orca = null!;

    [SetUp]
    public void SetUpFixture()
    {
        _orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);
    }

    [TestCase("success", "SUCCESS")]
    [TestCase("failure", "FAILURE")]
    [TestCase("cancelled", "ABORTED")]
    [TestCase("timed_out", "FAILURE")]
    [TestCase("startup_failure", "FAILURE")]
    [TestCase("skipped", "SUCCESS")]
    [TestCase("neutral", "SUCCESS")]
    [TestCase("stale", "FAILURE")]
    [TestCase("a_conclusion_from_the_future", "FAILURE")]
    public async Task JenkinsStage_RunToCompletion_ReportsMappedResult(string conclusion, string expected)
    {
        var queueId = await _orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "1.2.3", ["environment"] = "production" });
        var number = await _orca.WaitForBuildNumberAsync(queueId);
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.Inputs.Should().Contain("version", "1.2.3").And.Contain("environment", "production");
        run.Inputs.Should().NotContainKey("github.ref");
        number.Should().Be(run.RunNumber);

        var queued = await _orca.StatusJsonAsync(Deploy, number);
        queued["building"]!.GetValue<bool>().Should().BeTrue();
        queued["result"].Should().BeNull();

        run.Start();
        run.Complete(conclusion);
        var finished = await WaitForFinishedAsync(Deploy, number);

        finished["result"]!.GetValue<string>().Should().Be(expected);
        finished["number"]!.GetValue<int>().Should().Be(number);
        finished["url"]!.GetValue<string>().Should().EndWith("/");
        finished["timestamp"]!.GetValue<string>().Should().MatchRegex("^[0-9]+$");
        finished["artifacts"]!.AsArray().Should().BeEmpty();
        finished["testResults"]!.AsArray().Should().BeEmpty();
        finished["scm"]![0]!["sha1"]!.GetValue<string>().Should().Be(run.HeadSha);
        finished["scm"]![0]!["branch"]!.GetValue<string>().Should().Be("main");
        using var artifacts = await _orca.ArtifactsAsync(Deploy, number);
        artifacts.StatusCode.Should().Be(HttpStatusCode.OK);
        (await artifacts.Content.ReadAsStringAsync()).Should().Be("[]");
    }

    [Test]
    public async Task Status_PathFormAndQueryForm_AnswerTheSame()
    {
        var number = await _orca.WaitForBuildNumberAsync(await _orca.StartOkAsync(Deploy, Version()));

        var query = await _orca.StatusJsonAsync(Deploy, number, queryForm: true);
        var path = await _orca.StatusJsonAsync(Deploy, number, queryForm: false);

        // A running build's duration grows between the two calls; everything else is the same.
        path.Remove("duration");
        query.Remove("duration");
        path.ToJsonString().Should().Be(query.ToJsonString());
    }

    [Test]
    public async Task Start_RetriedPut_ReturnsSameQueueIdAndDispatchesOnce()
    {
        var first = await _orca.StartOkAsync(Deploy, Version());
        var second = await _orca.StartOkAsync(Deploy, Version());

        second.Should().Be(first);
        Scenario.Api.GetWorkflow("deploy.yml").Runs.Should().HaveCount(1);
    }

    [Test]
    public async Task Start_ConcurrentIdenticalPuts_DispatchOnce()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _orca.StartOkAsync(Deploy, Version())));

        ids.Distinct().Should().HaveCount(1);
        Scenario.Api.GetWorkflow("deploy.yml").Runs.Should().HaveCount(1);
    }

    [Test]
    public async Task Start_NewStageStartTime_DispatchesAgain()
    {
        var first = await _orca.StartOkAsync(Deploy, Version(), startTime: "1767225600000");
        var second = await _orca.StartOkAsync(Deploy, Version(), startTime: "1767225900000");

        second.Should().NotBe(first);
        Scenario.Api.GetWorkflow("deploy.yml").Runs.Should().HaveCount(2);
    }

    [Test]
    public async Task Start_OrcasExecutionHeader_ExecutionIdStageIdTaskId_LogsTheExecutionId()
    {
        // Orca's task calls send X-SPINNAKER-EXECUTION-ID as executionId:stageId:taskId; an operator searches for the execution.
        var queueId = await _orca.StartOkAsync(Deploy, Version());
        await _orca.WaitForBuildNumberAsync(queueId);

        var scopes = Scenario.Service!.Logs.GetSnapshot()
            .SelectMany(r => r.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>())
            .SelectMany(s => s)
            .Where(p => p.Key == "X-SPINNAKER-EXECUTION-ID")
            .Select(p => p.Value as string)
            .ToArray();
        scopes.Should().NotBeEmpty().And.OnlyContain(v => v == _orca.ExecutionId);
    }

    [Test]
    public async Task Start_A20000CharacterParameterInOrcasQueryString_ReachesGitHubIntact()
    {
        // Orca re-encodes each value with java.net.URLEncoder: characters outside [A-Za-z0-9.-*_] triple in length.
        var value = string.Concat(Enumerable.Repeat("v1.2/é:", 20_000 / 7)) + "end";

        var queueId = await _orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = value });
        await _orca.WaitForBuildNumberAsync(queueId);

        Scenario.Api.GetWorkflow("deploy.yml").Runs.Single().Inputs["version"].Should().Be(value);
    }

    [Test]
    public async Task Start_ParametersOverGitHubsBudget_Answer400NamingTheLimit_Not414()
    {
        using var response = await _orca.StartAsync(Deploy, new Dictionary<string, string> { ["version"] = new string('a', 70_000) });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("65535");
        Scenario.GitHub.Requests.Should().NotContain(r => r.Method == "POST");
    }

    [Test]
    public async Task Start_RefParameter_SelectsBranch()
    {
        var queueId = await _orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "1", ["github.ref"] = "feature/x" });
        await _orca.WaitForBuildNumberAsync(queueId);

        Scenario.Api.GetWorkflow("deploy.yml").Runs.Single().HeadBranch.Should().Be("feature/x");
    }

    [TestCase(DispatchRunDetailsSupport.Supported)]
    [TestCase(DispatchRunDetailsSupport.RejectedWith400)]
    [TestCase(DispatchRunDetailsSupport.RejectedWith422)]
    [TestCase(DispatchRunDetailsSupport.IgnoredWith204)]
    public async Task ThreeConcurrentDispatches_EachQueueIdResolvesToItsOwnRun(DispatchRunDetailsSupport support)
    {
        await using var scenario = await GitHubScenario.CreateAsync(new GitHubSimulatorOptions { RunDetails = support });
        var orcas = Enumerable.Range(0, 3).Select(_ => new OrcaClient(scenario.Client, GitHubScenario.Master)).ToArray();

        var queueIds = await Task.WhenAll(orcas.Select((o, i) => o.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = $"v{i}" })));
        var numbers = await Task.WhenAll(orcas.Select((o, i) => o.WaitForBuildNumberAsync(queueIds[i])));

        var runs = scenario.Api.GetWorkflow("deploy.yml").Runs;
        runs.Should().HaveCount(3);
        for (var i = 0; i < 3; i++)
        {
            runs.Single(r => r.RunNumber == numbers[i]).Inputs["version"].Should().Be($"v{i}");
        }
    }

    [Test]
    public async Task WorkflowWithoutCorrelation_OnServerWithoutRunDetails_IsRefusedWithTheLineToAdd()
    {
        await using var scenario = await GitHubScenario.CreateAsync(new GitHubSimulatorOptions { RunDetails = DispatchRunDetailsSupport.RejectedWith400 });
        var orca = new OrcaClient(scenario.Client, GitHubScenario.Master);

        using var response = await orca.StartAsync("acme/api/build.yml");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        body["message"]!.GetValue<string>().Should().Contain("run-name").And.Contain("spinnaker_dispatch_id");
        scenario.Api.GetWorkflow("build.yml").Runs.Should().BeEmpty();
    }

    [Test]
    public async Task WorkflowWithoutCorrelation_WithRunDetails_RunsFine()
    {
        var number = await _orca.WaitForBuildNumberAsync(await _orca.StartOkAsync("acme/api/build.yml"));

        number.Should().Be(Scenario.Api.GetWorkflow("build.yml").Runs.Single().RunNumber);
    }

    [Test]
    public async Task RepositoryDispatch_SendsClientPayloadAndCorrelates()
    {
        const string release = "acme/api/release.yml";
        var queueId = await _orca.StartOkAsync(release, new Dictionary<string, string> { ["version"] = "2.0.0", ["channel"] = "stable" });
        var number = await _orca.WaitForBuildNumberAsync(queueId);

        var run = Scenario.Api.GetWorkflow("release.yml").Runs.Single();
        run.Event.Should().Be("repository_dispatch");
        run.ClientPayloadJson.Should().Contain("\"version\":\"2.0.0\"").And.Contain("\"channel\":\"stable\"");
        number.Should().Be(run.RunNumber);
        run.Complete("success");
        (await WaitForFinishedAsync(release, number))["result"]!.GetValue<string>().Should().Be("SUCCESS");
    }

    [Test]
    public async Task RepositoryDispatch_MoreThanTenPayloadKeys_Answers400BeforeCallingGitHub()
    {
        var parameters = Enumerable.Range(0, 10).ToDictionary(i => $"k{i}", i => "v");

        using var response = await _orca.StartAsync("acme/api/release.yml", parameters);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("at most 10 keys");
        Scenario.GitHub.Requests.Should().NotContain(r => r.Path.EndsWith("/dispatches", StringComparison.Ordinal));
    }

    [TestCase("undeclared", "Unexpected inputs")]
    [TestCase("missing-required", "Required input")]
    [TestCase("unknown-ref", "No ref found")]
    [TestCase("disabled", "disabled")]
    [TestCase("no-dispatch-trigger", "neither a workflow_dispatch nor a repository_dispatch")]
    public async Task GitHubRefusals_FailTheStageAtOnceWithTheReason(string refusal, string message)
    {
        var job = Deploy;
        var parameters = Version();
        switch (refusal)
        {
            case "undeclared":
                parameters["colour"] = "blue";
                break;
            case "missing-required":
                parameters.Remove("version");
                break;
            case "unknown-ref":
                parameters["github.ref"] = "no-such-branch";
                break;
            case "disabled":
                Scenario.Api.GetWorkflow("deploy.yml").Disable();
                break;
            case "no-dispatch-trigger":
                job = "acme/api/ci.yml";
                break;
        }

        using var response = await _orca.StartAsync(job, parameters);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        ((int)response.StatusCode).Should().BeInRange(400, 499).And.NotBe(404);
        body["message"]!.GetValue<string>().Should().Contain(message);
        using var retried = await _orca.StartAsync(job, parameters);
        retried.StatusCode.Should().Be(response.StatusCode, "a retried PUT replays the refusal");
    }

    [Test]
    public async Task Queue_UnknownQueueId_Answers410()
    {
        using var response = await _orca.QueueAsync("987654321");

        response.StatusCode.Should().Be(HttpStatusCode.Gone);
        (await response.Content.ReadAsStringAsync()).Should().Contain("987654321");
    }

    [Test]
    public async Task Status_UnknownBuildNumber_Answers404()
    {
        using var response = await _orca.StatusAsync(Deploy, 4711);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Status_RunNotStartedByService_IsFoundByNumber()
    {
        var workflow = Scenario.Api.GetWorkflow("build.yml");
        for (var i = 0; i < 3; i++)
        {
            workflow.CreateRun("push").Complete("success");
        }

        var build = await _orca.StatusJsonAsync("acme/api/build.yml", 2, queryForm: false);

        build["number"]!.GetValue<int>().Should().Be(2);
        build["result"]!.GetValue<string>().Should().Be("SUCCESS");
    }

    [Test]
    public async Task Status_AfterRerun_ReflectsLatestAttempt()
    {
        var number = await _orca.WaitForBuildNumberAsync(await _orca.StartOkAsync(Deploy, Version()));
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.Complete("failure");
        (await WaitForFinishedAsync(Deploy, number))["result"]!.GetValue<string>().Should().Be("FAILURE");

        run.Rerun();
        run.Complete("success");

        (await WaitForFinishedAsync(Deploy, number, "SUCCESS"))["number"]!.GetValue<int>().Should().Be(number);
    }

    [Test]
    public async Task BuildsAll_ListsRecentRunsNewestFirst()
    {
        var workflow = Scenario.Api.GetWorkflow("build.yml");
        workflow.CreateRun("push").Complete("success");
        workflow.CreateRun("push").Complete("failure");
        workflow.CreateRun("push");

        using var response = await Scenario.Client.GetAsync($"builds/all/{GitHubScenario.Master}/acme/api/build.yml");
        var builds = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();

        builds.Select(b => b!["number"]!.GetValue<int>()).Should().Equal(3, 2, 1);
        builds[0]!["building"]!.GetValue<bool>().Should().BeTrue();
        builds[1]!["result"]!.GetValue<string>().Should().Be("FAILURE");
    }

    [Test]
    public async Task Update_BacklinkAccepted()
    {
        using var response = await _orca.UpdateAsync(Deploy, 1);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Stop_RunningBuild_CancelsTheRun(bool queryForm)
    {
        var queueId = await _orca.StartOkAsync(Deploy, Version());
        var number = await _orca.WaitForBuildNumberAsync(queueId);
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.Start();

        using var response = await _orca.StopAsync(Deploy, queueId, number, queryForm);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("true");
        await run.WaitForStatusAsync("completed", TimeSpan.FromSeconds(10));
        run.Conclusion.Should().Be("cancelled");
        (await WaitForFinishedAsync(Deploy, number))["result"]!.GetValue<string>().Should().Be("ABORTED");
    }

    [Test]
    public async Task Stop_RunIgnoringCancel_IsForceCancelledAfterGracePeriod()
    {
        var queueId = await _orca.StartOkAsync(Deploy, Version());
        var number = await _orca.WaitForBuildNumberAsync(queueId);
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.IgnoreCancel = true;
        run.Start();

        using var response = await _orca.StopAsync(Deploy, queueId, number);

        await run.WaitForStatusAsync("completed", TimeSpan.FromSeconds(15));
        run.ForceCancelRequested.Should().BeTrue();
    }

    [Test]
    public async Task Stop_WhileQueued_CancelsTheRunWhenItAppears()
    {
        await using var scenario = await GitHubScenario.CreateAsync(new GitHubSimulatorOptions { RunDetails = DispatchRunDetailsSupport.IgnoredWith204 });
        var orca = new OrcaClient(scenario.Client, GitHubScenario.Master);
        var queueId = await orca.StartOkAsync(Deploy, Version());

        using var response = await orca.StopAsync(Deploy, queueId, 0);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var run = scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        await run.WaitForStatusAsync("completed", TimeSpan.FromSeconds(10));
        run.Conclusion.Should().Be("cancelled");
    }

    [Test]
    public async Task Stop_FinishedBuild_LeavesItAlone()
    {
        var queueId = await _orca.StartOkAsync(Deploy, Version());
        var number = await _orca.WaitForBuildNumberAsync(queueId);
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.Complete("success");

        using var response = await _orca.StopAsync(Deploy, queueId, number);

        // GitHub refuses to cancel a completed run (409): the stop is answered, nothing is forced, the result stands.
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var cancels = Scenario.GitHub.Requests.Where(r => r.Method == "POST" && r.Path.Contains("/cancel", StringComparison.Ordinal)).ToArray();
        cancels.Should().OnlyContain(r => r.StatusCode == 409 && r.Path.EndsWith("/cancel", StringComparison.Ordinal), "a finished run is never force-cancelled");
        (await WaitForFinishedAsync(Deploy, number))["result"]!.GetValue<string>().Should().Be("SUCCESS");
    }

    [Test]
    public async Task Restart_BetweenStartAndCompletion_LosesNothing()
    {
        await using var scenario = await GitHubScenario.CreateAsync(new GitHubSimulatorOptions { RunDetails = DispatchRunDetailsSupport.IgnoredWith204 });
        var orca = new OrcaClient(scenario.Client, GitHubScenario.Master);
        var queueId = await orca.StartOkAsync(Deploy, Version());

        await scenario.RestartServiceAsync();
        orca = new OrcaClient(scenario.Client, GitHubScenario.Master) { ExecutionId = orca.ExecutionId };
        var number = await orca.WaitForBuildNumberAsync(queueId);
        (await orca.StartOkAsync(Deploy, Version())).Should().Be(queueId, "the idempotency key survives the restart");
        var run = scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.Complete("success");
        await scenario.RestartServiceAsync();
        orca = new OrcaClient(scenario.Client, GitHubScenario.Master);

        (await orca.StatusJsonAsync(Deploy, number))["result"]!.GetValue<string>().Should().Be("SUCCESS");
        scenario.Api.GetWorkflow("deploy.yml").Runs.Should().HaveCount(1);
    }

    [TestCase(503, 3)]
    [TestCase(502, 2)]
    public async Task GitHubFaultsDuringMonitoring_AreRidden(int status, int count)
    {
        var number = await _orca.WaitForBuildNumberAsync(await _orca.StartOkAsync(Deploy, Version()));
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.Complete("success");
        Scenario.GitHub.Faults.FailNext("GET", $"/repos/acme/api/actions/runs/{run.Id}", count, status);

        var build = await WaitForFinishedAsync(Deploy, number);

        build["result"]!.GetValue<string>().Should().Be("SUCCESS");
    }

    [Test]
    public async Task GitHubsSecondaryLimit429DuringMonitoring_IsRiddenAfterItsRetryAfter()
    {
        var number = await _orca.WaitForBuildNumberAsync(await _orca.StartOkAsync(Deploy, Version()));
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.Complete("success");
        Scenario.GitHub.Faults.RateLimitNext("GET", $"/repos/acme/api/actions/runs/{run.Id}", RateLimitKind.Secondary429, wait: TimeSpan.FromSeconds(1));

        var build = await WaitForFinishedAsync(Deploy, number);

        build["result"]!.GetValue<string>().Should().Be("SUCCESS");
        Scenario.GitHub.SecondaryLimitViolations.Should().Be(0);
    }

    [Test]
    public async Task GitHubDownDuringMonitoring_Answers503SoOrcaRetries()
    {
        var number = await _orca.WaitForBuildNumberAsync(await _orca.StartOkAsync(Deploy, Version()));
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        Scenario.GitHub.Faults.FailNext("GET", $"/repos/acme/api/actions/runs/{run.Id}", 50, 503);
        Scenario.Settings["GitHub:StatusCacheDuration"] = "00:00:00";
        await Scenario.RestartServiceAsync();
        _orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);

        using var response = await _orca.StatusAsync(Deploy, number);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Test]
    public async Task StatusPolls_AreSharedAndCached()
    {
        Scenario.Settings["GitHub:StatusCacheDuration"] = "00:00:05";
        await Scenario.RestartServiceAsync();
        _orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);
        var number = await _orca.WaitForBuildNumberAsync(await _orca.StartOkAsync(Deploy, Version()));
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        await _orca.StatusJsonAsync(Deploy, number);
        Scenario.GitHub.ClearRequests();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _orca.StatusJsonAsync(Deploy, number)));

        Scenario.GitHub.Requests.Count(r => r.Path == $"/repos/acme/api/actions/runs/{run.Id}").Should().BeLessThanOrEqualTo(1);
    }

    private static Dictionary<string, string> Version() => new() { ["version"] = "1.0.0" };

    private async Task<JsonObject> WaitForFinishedAsync(string job, int number, string? result = null)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            // MonitorJenkinsJobTask keeps polling on 503 (and 404, 500, 429, 502, 504); anything else but 200 fails the stage.
            using var response = await _orca.StatusAsync(job, number);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK, text);
                var build = JsonNode.Parse(text)!.AsObject();
                if (!build["building"]!.GetValue<bool>() && (result is null || build["result"]?.GetValue<string>() == result))
                {
                    return build;
                }
            }

            if (elapsed.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"build {number} of {job} did not finish: {text}");
            }

            // Orca polls every 10 s; the service caches a run for StatusCacheDuration, so poll again shortly.
            await Task.Delay(100);
        }
    }
}
