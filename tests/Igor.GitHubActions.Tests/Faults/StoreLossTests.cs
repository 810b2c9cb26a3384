using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Faults;

/// <summary>
/// The store lost under a running service (Redis restarted without persistence, here FLUSHALL): the loss is noticed,
/// logged and shown in /health; no queue id is issued again; reconciliation replays nothing from before it.
/// </summary>
[CancelAfter(120_000)]
public sealed class StoreLossTests
{
    private const string Deploy = "acme/api/deploy.yml";

    [Test]
    public async Task RedisFlushedUnderARunningBuild_NoQueueIdReused_NoTriggerReplayed_HealthShowsIt()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var echo = await FakeEcho.StartAsync();
        await using var scenario = await GitHubScenario.CreateAsync(start: false);

        scenario.Settings["State:Provider"] = "Redis";
        scenario.Settings["State:Redis:Configuration"] = redis.Configuration;
        scenario.Settings["State:IdentityCheckInterval"] = "00:00:00.200";
        scenario.Settings["GitHub:ReconciliationInterval"] = "00:00:00.500";
        scenario.Settings["GitHub:ReconciliationLookBack"] = "01:00:00";
        await scenario.ConnectWebhooksAsync(echo);

        // The finished run is announced by its webhook (reconciliation takes a run that ended in the second the store was
        // created for history, GitHub's times being whole seconds).
        scenario.GitHub.Webhooks.DeliverWorkflowRuns = true;
        var orca = new OrcaClient(scenario.Client, GitHubScenario.Master);

        // A build that finished and was announced, and one still running.
        var first = await orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" });
        await orca.WaitForBuildNumberAsync(first);
        scenario.Api.GetWorkflow("deploy.yml").Runs.Single().Complete("success");
        await echo.WaitForAsync(r => r.Path == "/");

        // Its webhook was received before the loss (one arriving after it could not be told from a new event).
        await scenario.GitHub.Webhooks.WaitForDeliveryAsync(d => d.Succeeded && d.Event == "workflow_run" && d.Action == "completed", TimeSpan.FromSeconds(20));
        var running = await orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "2" });
        await orca.WaitForBuildNumberAsync(running);

        await redis.FlushAsync();

        await Poll.UntilAsync(() => scenario.Service!.AllLogText().Contains("The state store was found empty or replaced", StringComparison.Ordinal));
        using (var health = await scenario.Client.GetAsync("health"))
        {
            var body = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
            body["details"]!["state-store"]!.GetValue<string>().Should().StartWith("REPLACED at");
        }

        var after = await new OrcaClient(scenario.Client, GitHubScenario.Master).StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "3" });
        long.Parse(after, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(
            long.Parse(running, System.Globalization.CultureInfo.InvariantCulture), "a queue id Orca may still poll is never issued to another build");

        // Several reconciliations after the loss: the finished run's event is not sent again (its emitted-key went with the store).
        var reconciled = Reconciliations(scenario);
        await Poll.UntilAsync(() => Reconciliations(scenario) >= reconciled + 2);
        await scenario.WaitForIdleOutboxAsync();
        echo.Accepted.Count(r => r.Path == "/").Should().Be(1, "a store found empty replays nothing from before it");
        using var lost = await orca.QueueAsync(running);
        lost.StatusCode.Should().NotBe(HttpStatusCode.OK, "the running build's queue item went with the store: Orca is told, not answered another build");
    }

    private static int Reconciliations(GitHubScenario scenario) =>
        scenario.Service!.Logs.GetSnapshot().Count(r => r.Message.StartsWith("Reconciled master", StringComparison.Ordinal));
}
