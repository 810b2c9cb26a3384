using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Replicas;

/// <summary>Two service instances on one real Redis, as two replicas behind a load balancer.</summary>
[CancelAfter(120_000)]
public sealed class TwoReplicaTests : ScenarioTest
{
    private const string Deploy = "acme/api/deploy.yml";
    private RedisServer _redis = null!;
    private FakeEcho _echo = null!;
    private IgorServiceHost _a = null!;
    private IgorServiceHost _b = null!;
    private bool _aStopped;

    [OneTimeSetUp]
    public async Task StartRedis() => _redis = await RedisServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopRedis() => await _redis.DisposeAsync();

    protected override bool StartsService => false;

    protected override async Task ConfigureAsync(GitHubScenario scenario)
    {

        _echo = await FakeEcho.StartAsync();
        var configuration = scenario.BaseConfiguration();
        configuration["State:Provider"] = "Redis";
        configuration["State:Redis:Configuration"] = _redis.Configuration;
        configuration["State:Redis:KeyPrefix"] = $"test-{Guid.NewGuid():N}:";
        configuration["GitHub:WebhookSecret"] = GitHubScenario.WebhookSecret;
        configuration["Echo:BaseUrl"] = _echo.BaseAddress.ToString();
        _aStopped = false;
        _a = await IgorServiceHost.StartAsync(configuration);
        _b = await IgorServiceHost.StartAsync(configuration);
    }

    [TearDown]
    public async Task DisposeFixturesAsync()
    {
        if (!_aStopped)
        {
            await _a.DisposeAsync();
        }
        await _b.DisposeAsync();
        await _echo.DisposeAsync();
    }

    [Test]
    public async Task PutRetriedToTheOtherReplica_DispatchesOnce()
    {
        var orcaA = new OrcaClient(_a.Client, GitHubScenario.Master);
        var orcaB = new OrcaClient(_b.Client, GitHubScenario.Master) { ExecutionId = orcaA.ExecutionId };
        var parameters = new Dictionary<string, string> { ["version"] = "1.0.0" };

        var fromA = await orcaA.StartOkAsync(Deploy, parameters);
        var fromB = await orcaB.StartOkAsync(Deploy, parameters);

        fromB.Should().Be(fromA);
        Scenario.Api.GetWorkflow("deploy.yml").Runs.Should().ContainSingle();
        (await orcaB.WaitForBuildNumberAsync(fromA)).Should().Be(Scenario.Api.GetWorkflow("deploy.yml").Runs.Single().RunNumber);
    }

    [Test]
    public async Task ConcurrentPutsOnBothReplicas_DispatchOnce()
    {
        var orcaA = new OrcaClient(_a.Client, GitHubScenario.Master);
        var orcaB = new OrcaClient(_b.Client, GitHubScenario.Master) { ExecutionId = orcaA.ExecutionId };
        var parameters = new Dictionary<string, string> { ["version"] = "1.0.0" };

        var ids = await Task.WhenAll(orcaA.StartOkAsync(Deploy, parameters), orcaB.StartOkAsync(Deploy, parameters), orcaA.StartOkAsync(Deploy, parameters));

        ids.Distinct().Should().ContainSingle();
        Scenario.Api.GetWorkflow("deploy.yml").Runs.Should().ContainSingle();
    }

    [Test]
    public async Task PipelineEventsSpreadOverBothReplicas_TwiceEach_WriteEachDeploymentStatusOnceInOrder()
    {
        // Echo's REST forwarding goes through the load balancer: each event may land on either replica, and Echo may send
        // it again. Both replicas send statuses from the one Redis outbox.
        var deployment = Scenario.Api.CreateDeployment("main", "production");
        var onA = new EchoEvents(_a.Client) { TriggerPayload = EchoEvents.DeploymentPayload(deployment.Id) };
        var onB = new EchoEvents(_b.Client) { ExecutionId = onA.ExecutionId, TriggerPayload = onA.TriggerPayload };

        var answers = await Task.WhenAll(onA.StartingAsync(), onB.StartingAsync(), onB.CompleteAsync(), onA.CompleteAsync());

        answers.Should().OnlyContain(r => r.IsSuccessStatusCode);
        await Poll.UntilAsync(() => deployment.Statuses.Any(s => s.State == "success"), TimeSpan.FromSeconds(20));
        var store = _a.Services.GetRequiredService<global::Igor.GitHubActions.State.IStateStore>();
        await Poll.UntilAsync(async () => (await store.DeploymentStatuses.ListGroupAsync(onA.ExecutionId, CancellationToken.None)).All(s => s.Outcome is not null));
        deployment.Statuses.Select(s => s.State).Should().Equal(["in_progress", "success"], "each status once, in order, whichever replica sent it");
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Test]
    public async Task OneWebhookDeliveredToBothReplicas_ProducesOneEchoEvent()
    {
        var run = Scenario.Api.GetWorkflow("build.yml").CreateRun("push");
        run.Complete("success");
        var payload = Scenario.GitHub.Webhooks.WorkflowRunPayload(run, "completed").ToJsonString();
        var delivery = Guid.NewGuid().ToString();

        using var toA = await WebhookSigner.PostAsync(_a.Client, "workflow_run", payload, GitHubScenario.WebhookSecret, delivery);
        using var toB = await WebhookSigner.PostAsync(_b.Client, "workflow_run", payload, GitHubScenario.WebhookSecret, delivery);
        await _echo.WaitForAsync(r => r.Path == "/");

        new[] { toA.StatusCode, toB.StatusCode }.Should().BeEquivalentTo([HttpStatusCode.Accepted, HttpStatusCode.OK]);
        var store = (global::Igor.GitHubActions.State.IStateStore)_b.Services.GetService(typeof(global::Igor.GitHubActions.State.IStateStore))!;
        await Poll.UntilAsync(async () => await store.Outbox.CountPendingAsync(CancellationToken.None) == 0);
        _echo.Accepted.Should().ContainSingle();
    }

    [Test]
    public async Task ReplicaKilledMidBuild_TheOtherFinishesTheJob()
    {
        var orcaA = new OrcaClient(_a.Client, GitHubScenario.Master);
        var queueId = await orcaA.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "2.0.0" });
        await _a.DisposeAsync();
        _aStopped = true;
        var orcaB = new OrcaClient(_b.Client, GitHubScenario.Master) { ExecutionId = orcaA.ExecutionId };

        var number = await orcaB.WaitForBuildNumberAsync(queueId);
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.Start();
        using var stop = await orcaB.StopAsync(Deploy, queueId, number);
        await run.WaitForStatusAsync("completed", TimeSpan.FromSeconds(10));

        stop.StatusCode.Should().Be(HttpStatusCode.OK);
        run.Conclusion.Should().Be("cancelled");
        var build = await orcaB.StatusJsonAsync(Deploy, number);
        build["number"]!.GetValue<int>().Should().Be(number);
    }
}
