using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Faults;

/// <summary>Faults survived: GitHub failing, slow or resetting; the service SIGKILLed mid-build; Echo down meanwhile.</summary>
[CancelAfter(120_000)]
public sealed class FaultToleranceTests
{
    private const string Deploy = "acme/api/deploy.yml";

    [Test]
    public async Task ConnectionResetsAndSlowAnswersDuringMonitoring_AreRetried()
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings["GitHub:RequestTimeout"] = "00:00:04";
        await scenario.StartServiceAsync();
        var orca = new OrcaClient(scenario.Client, GitHubScenario.Master);
        var number = await orca.WaitForBuildNumberAsync(await orca.StartOkAsync(Deploy, Version()));
        var run = scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.Complete("failure");
        var path = $"/repos/acme/api/actions/runs/{run.Id}";
        scenario.GitHub.Faults.ResetNext("GET", path, 1);
        scenario.GitHub.Faults.DelayNext("GET", path, TimeSpan.FromSeconds(30), 1);

        var result = await WaitForResultAsync(orca, number);

        result.Should().Be("FAILURE");
        scenario.GitHub.Requests.Count(r => r.Path == path).Should().BeGreaterThanOrEqualTo(2, "the reset attempt was retried");
    }

    [Test]
    public async Task GitHubBurstOf5xx_DuringQueueAndStatusPolls_EveryBuildReachesItsResult()
    {
        await using var scenario = await GitHubScenario.CreateAsync(new global::Igor.GitHubActions.Testing.GitHubSimulatorOptions
        {
            RunDetails = global::Igor.GitHubActions.Testing.DispatchRunDetailsSupport.IgnoredWith204,
        });
        var orcas = Enumerable.Range(0, 3).Select(_ => new OrcaClient(scenario.Client, GitHubScenario.Master)).ToArray();
        var queueIds = await Task.WhenAll(orcas.Select((o, i) => o.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = $"{i}" })));
        scenario.GitHub.Faults.FailNext("GET", "/repos/acme/api/actions/workflows/deploy.yml/runs", 6, 500);
        scenario.GitHub.Faults.FailNext("GET", "/repos/acme/api/actions/runs/", 6, 503);

        var numbers = await Task.WhenAll(orcas.Select((o, i) => o.WaitForBuildNumberAsync(queueIds[i])));
        foreach (var run in scenario.Api.GetWorkflow("deploy.yml").Runs)
        {
            run.Complete("success");
        }

        for (var i = 0; i < 3; i++)
        {
            var build = await WaitForResultAsync(orcas[i], numbers[i]);
            build.Should().Be("SUCCESS");
        }
    }

    [Test]
    public async Task ServiceKilledWithSigkillMidBuild_RestartedOnTheSameStore_LosesNothing()
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        await using var echo = await FakeEcho.StartAsync();
        var config = scenario.WriteServiceConfig(echo);
        scenario.GitHub.Webhooks.Secret = GitHubScenario.WebhookSecret;
        int number;
        string queueId;
        string executionId;
        await using (var first = await ServiceProcess.StartAsync(config))
        {
            var orca = new OrcaClient(first.Client, GitHubScenario.Master);
            executionId = orca.ExecutionId;
            queueId = await orca.StartOkAsync(Deploy, Version());
            number = await orca.WaitForBuildNumberAsync(queueId);
            echo.FailWith = 503;
            var run = scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
            run.Complete("success");
            scenario.GitHub.Webhooks.Url = new Uri(first.BaseAddress, "webhooks/github");
            await scenario.GitHub.Webhooks.DeliverAsync("workflow_run", scenario.GitHub.Webhooks.WorkflowRunPayload(run, "completed"));
            await Poll.UntilAsync(() => echo.Refused > 0);

            // Killed while its POST of the event is in flight: the event stays claimed under the dead process's lease.
            echo.Hang = true;
            await Poll.UntilAsync(() => echo.Held > 0);
            await first.KillAsync();
        }

        echo.Hang = false;
        echo.FailWith = null;
        await using var second = await ServiceProcess.StartAsync(config);
        var again = new OrcaClient(second.Client, GitHubScenario.Master) { ExecutionId = executionId };

        (await again.StartOkAsync(Deploy, Version())).Should().Be(queueId, "the retried PUT after the crash gets the same queue id");
        (await again.WaitForBuildNumberAsync(queueId)).Should().Be(number);
        (await again.StatusJsonAsync(Deploy, number))["result"]!.GetValue<string>().Should().Be("SUCCESS");
        await echo.WaitForAsync(r => r.Path == "/");
        scenario.Api.GetWorkflow("deploy.yml").Runs.Should().ContainSingle();
        echo.Accepted.Should().ContainSingle("the build event waited in the outbox through the crash");
    }

    private static Dictionary<string, string> Version() => new() { ["version"] = "1.0.0" };

    private static async Task<string?> WaitForResultAsync(OrcaClient orca, int number)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (elapsed.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await orca.StatusAsync(Deploy, number);
            if (response.IsSuccessStatusCode)
            {
                var build = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                if (!build["building"]!.GetValue<bool>())
                {
                    return build["result"]!.GetValue<string>();
                }
            }

            // Orca's own poll loop: 404/500/503 mean "try again".
            await Task.Delay(100);
        }

        return null;
    }
}
