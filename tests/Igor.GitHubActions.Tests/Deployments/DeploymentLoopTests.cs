using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Deployments;

/// <summary>
/// A GitHub deployment triggers a pipeline whose Jenkins stage dispatches a workflow; a job of that workflow with
/// <c>environment:</c> makes GitHub create a deployment (performed by the github-actions App, created by the service's
/// bot, carrying the run). Forwarded, it would trigger the same pipeline again, forever.
/// </summary>
[CancelAfter(120_000)]
public sealed class DeploymentLoopTests : ScenarioTest
{
    private const string Deploy = "acme/api/deploy.yml";
    private FakeEcho _echo = null!;

    protected override bool StartsService => false;

    protected override async Task ConfigureAsync(GitHubScenario scenario)
    {

        _echo = await FakeEcho.StartAsync();
        await scenario.ConnectWebhooksAsync(_echo);
        scenario.GitHub.Webhooks.DeliverDeployments = true;
    }

    [TearDown]
    public async Task DisposeFixturesAsync()
    {
        await _echo.DisposeAsync();
    }

    [Test]
    public async Task TheRunOfADeploymentTriggeredPipeline_DeployingTheSameEnvironment_DoesNotTriggerItAgain()
    {
        var run = await RunForDeploymentTriggeredPipelineAsync("production");

        var second = run.DeployFromJob("production");

        await Poll.UntilAsync(() => Scenario.Service!.AllLogText().Contains("not triggering again (a loop)", StringComparison.Ordinal));
        await WaitForIdleOutboxAsync();
        Triggers().Should().NotContain(second.Id, "the pipeline would trigger itself forever");
        Triggers().Should().ContainSingle();
        (await Scenario.Client.GetStringAsync("metrics")).Should().MatchRegex(@"igor_deployment_loops_stopped_total [1-9]");
    }

    [Test]
    public async Task TheSameRun_DeployingAnotherEnvironment_IsForwarded()
    {
        var run = await RunForDeploymentTriggeredPipelineAsync("production");

        var staging = run.DeployFromJob("staging");

        await Poll.UntilAsync(() => Triggers().Contains(staging.Id));
        Triggers().Should().HaveCount(2, "a deployment to another environment is a new step of a release, not a loop");
    }

    [Test]
    public async Task ARunOfAPipelineNotStartedByADeployment_ItsDeploymentIsForwarded()
    {
        var orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);
        await orca.WaitForBuildNumberAsync(await orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" }));
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();

        var deployment = run.DeployFromJob("production");

        await Poll.UntilAsync(() => Triggers().Contains(deployment.Id));
        _echo.Accepted.Single(r => r.Path == "/webhooks/webhook/github-deployment").Body["creator"]!.GetValue<string>()
            .Should().Be("spinnaker-igor[bot]", "GitHub records the run's trigger, the service's bot, as the creator");
    }

    [Test]
    public async Task TheServicesOwnDeployment_WithoutPerformedViaGitHubApp_AndAClientIdAsAppId_DoesNotTrigger()
    {
        // Older GHES omit performed_via_github_app; a master may name its App by client id. The creator is the App's bot.
        Scenario.GitHub.Options.OmitPerformedViaGitHubApp = true;
        Scenario.Settings["GitHub:Masters:0:AppId"] = GitHubScenario.ClientId;
        await Scenario.ConnectWebhooksAsync(_echo);
        var own = Scenario.GitHub.Webhooks.DeploymentPayload(Scenario.Api.CreateDeployment("main", "production"));
        own["deployment"]!["creator"]!["login"] = "spinnaker-igor[bot]";
        var user = Scenario.Api.CreateDeployment("main", "staging");

        await Scenario.GitHub.Webhooks.DeliverAsync("deployment", own);
        await Scenario.GitHub.Webhooks.DeliverAsync("deployment", Scenario.GitHub.Webhooks.DeploymentPayload(user));

        await Poll.UntilAsync(() => Triggers().Contains(user.Id));
        await WaitForIdleOutboxAsync();
        Triggers().Should().Equal([user.Id], "the service's own deployment would loop");
        own["deployment"]!.AsObject().ContainsKey("performed_via_github_app").Should().BeFalse();
    }

    /// <summary>
    /// A user's deployment reaches Echo, Echo starts the pipeline (its events link the execution to the deployment), and
    /// the pipeline's Jenkins stage dispatches deploy.yml: the run, once the service knows it.
    /// </summary>
    private async Task<global::Igor.GitHubActions.Testing.SimulatedRun> RunForDeploymentTriggeredPipelineAsync(string environment)
    {
        var first = Scenario.Api.CreateDeployment("main", environment);
        await Scenario.GitHub.Webhooks.DeliverAsync("deployment", Scenario.GitHub.Webhooks.DeploymentPayload(first));
        var trigger = await _echo.WaitForAsync(r => r.Path == "/webhooks/webhook/github-deployment");

        var events = new EchoEvents(Scenario.Client) { TriggerPayload = trigger.Body.AsObject().DeepClone().AsObject() };
        using (var starting = await events.StartingAsync())
        {
            starting.IsSuccessStatusCode.Should().BeTrue(await starting.Content.ReadAsStringAsync());
        }

        var orca = new OrcaClient(Scenario.Client, GitHubScenario.Master) { ExecutionId = events.ExecutionId };
        await orca.WaitForBuildNumberAsync(await orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" }));
        return Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
    }

    private long[] Triggers() =>
        [.. _echo.Accepted.Where(r => r.Path == "/webhooks/webhook/github-deployment").Select(r => r.Body["deployment_id"]!.GetValue<long>())];

    private Task WaitForIdleOutboxAsync() => Scenario.WaitForIdleOutboxAsync();
}
