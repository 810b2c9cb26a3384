using System.Net;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Dispatch;

/// <summary>
/// The service SIGKILLed at the two moments that matter: after it wrote that it is sending (write-ahead) but before
/// GitHub acted on the POST, and after GitHub acted on it but before the answer was recorded; and two replicas on
/// Redis taking over a dead replica's item at once. Each ends with exactly one run, followed by the stage.
/// </summary>
[CancelAfter(180_000)]
public sealed class ExactlyOnceCrashTests
{
    private const string Deploy = "acme/api/deploy.yml";
    private const string DeployDispatches = "/repos/acme/api/actions/workflows/deploy.yml/dispatches";

    // A short lease (2 × RequestTimeout + 5 s) so that a dead holder's claim runs out within the test.
    private static readonly string[] FastRecovery = ["GitHub:RequestTimeout=00:00:02", "GitHub:DispatchRecoveryGrace=00:00:01"];

    [Test]
    public async Task KilledAfterTheWriteAheadBeforeGitHubActed_RestartSendsOnceMore_OneRun()
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        await using var echo = await FakeEcho.StartAsync();
        var config = scenario.WriteServiceConfig(echo);

        // The POST reaches GitHub, which holds it without acting on it; the service dies meanwhile.
        var held = scenario.GitHub.Faults.HangNext("POST", DeployDispatches, TimeSpan.FromSeconds(60));
        var executionId = await KillDuringDispatchAsync(config, FastRecovery, () => held.Hits == 1);

        scenario.Api.GetWorkflow("deploy.yml").Runs.Should().BeEmpty();
        await using var second = await ServiceProcess.StartAsync(config, null, FastRecovery);
        var retry = new OrcaClient(second.Client, GitHubScenario.Master) { ExecutionId = executionId };

        var (status, body, _) = await retry.StartAsOrcaAsync(Deploy, Version(), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));

        status.Should().Be(HttpStatusCode.OK, body);
        var number = await retry.WaitForBuildNumberAsync(body, TimeSpan.FromSeconds(60));
        scenario.Api.GetWorkflow("deploy.yml").Runs.Should().ContainSingle().Which.RunNumber.Should().Be(number);
        scenario.GitHub.Requests.Count(r => r.Method == "POST" && r.Path == DeployDispatches && r.StatusCode != 0)
            .Should().Be(1, "the POST GitHub never acted on was sent again once, after the grace");
    }

    [Test]
    public async Task KilledAfterGitHubActedBeforeTheAnswerWasRecorded_RestartAdoptsTheRun_OneRun()
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        await using var echo = await FakeEcho.StartAsync();
        var config = scenario.WriteServiceConfig(echo);

        var held = scenario.GitHub.Faults.HangAfterNext("POST", DeployDispatches, TimeSpan.FromSeconds(60));
        var executionId = await KillDuringDispatchAsync(config, FastRecovery, () => held.Hits == 1 && scenario.Api.GetWorkflow("deploy.yml").Runs.Count == 1);

        await using var second = await ServiceProcess.StartAsync(config, null, FastRecovery);
        var retry = new OrcaClient(second.Client, GitHubScenario.Master) { ExecutionId = executionId };

        var (status, body, _) = await retry.StartAsOrcaAsync(Deploy, Version(), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));

        status.Should().Be(HttpStatusCode.OK, body);
        var number = await retry.WaitForBuildNumberAsync(body, TimeSpan.FromSeconds(60));
        scenario.Api.GetWorkflow("deploy.yml").Runs.Should().ContainSingle().Which.RunNumber.Should().Be(number);
        scenario.GitHub.Requests.Count(r => r.Method == "POST" && r.Path == DeployDispatches).Should().Be(1, "a run was found, so nothing was sent again");
    }

    [Test]
    public async Task ReplicaKilledMidDispatch_TwoReplicasOnRedisTakeOverAtOnce_OneRun()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        await using var echo = await FakeEcho.StartAsync();
        var config = scenario.WriteServiceConfig(echo);
        var prefix = $"test-{Guid.NewGuid():N}:";
        string[] onRedis = [.. FastRecovery, "State:Provider=Redis", $"State:Redis:Configuration={redis.Configuration}", $"State:Redis:KeyPrefix={prefix}"];

        var held = scenario.GitHub.Faults.HangAfterNext("POST", DeployDispatches, TimeSpan.FromSeconds(60));
        await using var b = await ServiceProcess.StartAsync(config, null, onRedis);
        await using var c = await ServiceProcess.StartAsync(config, null, onRedis);
        var executionId = await KillDuringDispatchAsync(config, onRedis, () => held.Hits == 1 && scenario.Api.GetWorkflow("deploy.yml").Runs.Count == 1);

        // Orca's retry lands on both surviving replicas at once; both background processors see the dead claim expire.
        var onB = new OrcaClient(b.Client, GitHubScenario.Master) { ExecutionId = executionId };
        var onC = new OrcaClient(c.Client, GitHubScenario.Master) { ExecutionId = executionId };
        var answers = await Task.WhenAll(
            onB.StartAsOrcaAsync(Deploy, Version(), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)),
            onC.StartAsOrcaAsync(Deploy, Version(), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)));

        answers.Should().OnlyContain(a => a.Status == HttpStatusCode.OK);
        answers.Select(a => a.Body).Distinct().Should().ContainSingle("both replicas answer the one queue item");
        var numbers = await Task.WhenAll(onB.WaitForBuildNumberAsync(answers[0].Body, TimeSpan.FromSeconds(60)), onC.WaitForBuildNumberAsync(answers[1].Body, TimeSpan.FromSeconds(60)));
        numbers.Distinct().Should().ContainSingle();
        scenario.Api.GetWorkflow("deploy.yml").Runs.Should().ContainSingle().Which.RunNumber.Should().Be(numbers[0]);
        scenario.GitHub.Requests.Count(r => r.Method == "POST" && r.Path == DeployDispatches).Should().Be(1);
    }

    /// <summary>Starts a replica, sends a PUT, SIGKILLs the replica once <paramref name="killWhen"/> holds; answers the execution id.</summary>
    private static async Task<string> KillDuringDispatchAsync(string config, string[] settings, Func<bool> killWhen)
    {
        await using var replica = await ServiceProcess.StartAsync(config, null, settings);
        var orca = new OrcaClient(replica.Client, GitHubScenario.Master);
        var start = orca.StartAsync(Deploy, Version());
        await Poll.UntilAsync(killWhen);
        await replica.KillAsync();
        await FluentActions.Awaiting(() => start).Should().ThrowAsync<HttpRequestException>("the process died under the PUT");
        return orca.ExecutionId;
    }

    private static Dictionary<string, string> Version() => new() { ["version"] = "1.0.0" };
}
