using System.Net;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Deployments;

/// <summary>
/// The service SIGKILLed while it writes a deployment status, after GitHub wrote it but before the service recorded
/// that: the restarted service finds the status written and does not write it a second time.
/// </summary>
[CancelAfter(120_000)]
public sealed class DeploymentStatusCrashTests
{
    // A short lease (4 × RequestTimeout) so that the dead holder's claim runs out within the test.
    private static readonly string[] FastRecovery =
        ["GitHub:RequestTimeout=00:00:01", "Deployments:PollInterval=00:00:00.200", $"Deployments:EventsSecret={GitHubScenario.EventsSecret}"];

    [Test]
    public async Task KilledAfterGitHubWroteTheStatusBeforeItWasRecorded_RestartWritesItNoMore()
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        await using var echo = await FakeEcho.StartAsync();
        var config = scenario.WriteServiceConfig(echo);
        var deployment = scenario.Api.CreateDeployment("main", "production");
        var statuses = $"/repos/acme/api/deployments/{deployment.Id}/statuses";
        var held = scenario.GitHub.Faults.HangAfterNext("POST", statuses, TimeSpan.FromSeconds(60));

        string executionId;
        await using (var first = await ServiceProcess.StartAsync(config, null, FastRecovery))
        {
            var events = new EchoEvents(first.Client) { TriggerPayload = EchoEvents.DeploymentPayload(deployment.Id) };
            executionId = events.ExecutionId;
            using var starting = await events.StartingAsync();
            starting.StatusCode.Should().Be(HttpStatusCode.OK);
            await Poll.UntilAsync(() => held.Hits == 1 && deployment.Statuses.Count == 1);
            await first.KillAsync();
        }

        await using var second = await ServiceProcess.StartAsync(config, null, FastRecovery);
        var again = new EchoEvents(second.Client) { ExecutionId = executionId, TriggerPayload = EchoEvents.DeploymentPayload(deployment.Id) };
        using var complete = await again.CompleteAsync();
        complete.StatusCode.Should().Be(HttpStatusCode.OK);
        await Poll.UntilAsync(() => deployment.Statuses.Any(s => s.State == "success"), TimeSpan.FromSeconds(60));

        deployment.Statuses.Select(s => s.State).Should().Equal(["in_progress", "success"], "the status GitHub wrote before the kill is not written again");
        second.Output.Should().Contain("was found written by an attempt whose answer was lost");
    }
}
