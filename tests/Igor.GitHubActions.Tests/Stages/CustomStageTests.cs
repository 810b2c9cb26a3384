using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Stages;

/// <summary>Each custom stage of samples/orca-local.yml driven the way Orca's webhook stage drives it, against the simulator.</summary>
[CancelAfter(120_000)]
public sealed class CustomStageTests : ScenarioTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private string _executionId = null!;

    [SetUp]
    public void SetUpFixture()
    {
        _executionId = "01JSTAGE" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
    }

    [Test]
    public async Task RunWorkflow_PolledLikeOrca_SucceedsWithRunDetails()
    {
        var stage = Stage("githubRunWorkflow");
        var values = Values(("job", "acme/api/deploy.yml"), ("ref", "feature/x"), ("inputs", "{\"version\": \"1.2.3\", \"dry_run\": true}"));

        var (status, body) = await stage.RunAsync(values, _executionId, async _ =>
        {
            var run = await Scenario.Api.WaitForRunAsync(r => r.Workflow.FileName == "deploy.yml", Timeout);
            if (run.Status != "completed")
            {
                run.Complete("success");
            }
        });

        status.Should().Be("SUCCESS");
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.Inputs["version"].Should().Be("1.2.3");
        run.Inputs["dry_run"].Should().Be("true");
        run.HeadBranch.Should().Be("feature/x");
        body["runNumber"]!.GetValue<int>().Should().Be(run.RunNumber);
        body["runId"]!.GetValue<long>().Should().Be(run.Id);
        body["url"]!.GetValue<string>().Should().Contain($"/actions/runs/{run.Id}");
        body["message"]!.GetValue<string>().Should().Contain(body["url"]!.GetValue<string>());
    }

    [TestCase("failure", "FAILURE", "terminalStatuses")]
    [TestCase("cancelled", "ABORTED", "canceledStatuses")]
    public async Task RunWorkflow_UnsuccessfulRun_EndsInTheConfiguredStatusSet(string conclusion, string expected, string set)
    {
        var stage = Stage("githubRunWorkflow");

        var (status, _) = await stage.RunAsync(Values(("job", "acme/api/deploy.yml"), ("inputs", "{\"version\": \"2\"}")), _executionId, async _ =>
            (await Scenario.Api.WaitForRunAsync(r => r.Workflow.FileName == "deploy.yml", Timeout)).Complete(conclusion));

        status.Should().Be(expected);
        stage.Set(set).Should().Contain(expected);
    }

    [Test]
    public async Task RunWorkflow_CreateCallRetriedByOrca_DispatchesOnce()
    {
        var stage = Stage("githubRunWorkflow");
        var values = Values(("job", "acme/api/deploy.yml"), ("inputs", "{\"version\": \"3\"}"));

        var (first, firstBody) = await stage.CreateAsync(values, _executionId);
        var (second, secondBody) = await stage.CreateAsync(values, _executionId);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        secondBody!["queueId"]!.GetValue<long>().Should().Be(firstBody!["queueId"]!.GetValue<long>());
        Scenario.GitHub.Requests.Count(r => r.Method == "POST" && r.ApiPath.EndsWith("/dispatches", StringComparison.Ordinal)).Should().Be(1);
    }

    [Test]
    public async Task RunWorkflow_StageRestarted_StartsANewRunAndCancelsTheNewOne()
    {
        var stage = Stage("githubRunWorkflow");
        var values = Values(("job", "acme/api/deploy.yml"), ("inputs", "{\"version\": \"4\"}"));
        var (_, firstBody) = await stage.CreateAsync(values, _executionId);

        // Orca's "restart stage": the same execution, stage and inputs, a new attempt with a new start time.
        stage.StageStartTime += 60_000;
        var (restarted, restartedBody) = await stage.CreateAsync(values, _executionId);
        var (retried, retriedBody) = await stage.CreateAsync(values, _executionId);

        restarted.StatusCode.Should().Be(HttpStatusCode.OK);
        retried.StatusCode.Should().Be(HttpStatusCode.OK);
        var firstId = firstBody!["queueId"]!.GetValue<long>();
        var restartedId = restartedBody!["queueId"]!.GetValue<long>();
        restartedId.Should().NotBe(firstId, "a restarted stage starts a new run instead of getting the old one back");
        retriedBody!["queueId"]!.GetValue<long>().Should().Be(restartedId, "a retry of the restarted attempt finds its own dispatch");
        var runs = await WaitForRunsAsync("deploy.yml", 2);
        using var cancel = await stage.CancelAsync(values, _executionId);
        cancel.StatusCode.Should().Be(HttpStatusCode.OK);
        await Poll.UntilAsync(() => runs.Any(r => r.Status == "completed"));
        runs.Single(r => r.Status == "completed").Conclusion.Should().Be("cancelled");
        runs.OrderBy(r => r.RunNumber).Last().Status.Should().Be("completed", "the cancel goes to the restarted attempt's run");
    }

    [Test]
    public async Task RunWorkflow_PipelineCanceled_CancelEndpointCancelsTheRun()
    {
        var stage = Stage("githubRunWorkflow");
        var values = Values(("job", "acme/api/deploy.yml"), ("inputs", "{\"version\": \"4\"}"));
        var canceled = false;

        var (status, _) = await stage.RunAsync(values, _executionId, async body =>
        {
            var run = await Scenario.Api.WaitForRunAsync(r => r.Workflow.FileName == "deploy.yml", Timeout);
            if (!canceled && body["status"]!.GetValue<string>() == "RUNNING")
            {
                run.Start();
                using var cancel = await stage.CancelAsync(values, _executionId);
                cancel.StatusCode.Should().Be(HttpStatusCode.OK);
                JsonNode.Parse(await cancel.Content.ReadAsStringAsync())!["canceled"]!.GetValue<bool>().Should().BeTrue();
                canceled = true;
            }
        });

        status.Should().Be("ABORTED");
        Scenario.Api.GetWorkflow("deploy.yml").Runs.Single().CancelRequested.Should().BeTrue();
    }

    [Test]
    public async Task RunWorkflow_CancelBeforeTheRunIsKnown_IsCarriedOutWhenItAppears()
    {
        var stage = Stage("githubRunWorkflow");
        var values = Values(("job", "acme/api/release.yml"), ("inputs", "{}"));
        var (created, body) = await stage.CreateAsync(values, _executionId);
        created.StatusCode.Should().Be(HttpStatusCode.OK, body?.ToJsonString());

        using var cancel = await stage.CancelAsync(values, _executionId);
        var run = await Scenario.Api.WaitForRunAsync(r => r.Workflow.FileName == "release.yml", Timeout);
        await run.WaitForStatusAsync("completed", Timeout);

        cancel.StatusCode.Should().Be(HttpStatusCode.OK);
        run.Conclusion.Should().Be("cancelled");
    }

    [Test]
    public async Task CreateDeployment_OnABranch_CreatesWithoutAutoMergeOrRequiredContexts()
    {
        var (response, body) = await Stage("githubCreateDeployment").CreateAsync(
            Values(("repository", "acme/api"), ("ref", "feature/x"), ("environment", "staging"), ("description", "from Spinnaker")), _executionId);

        response.StatusCode.Should().Be(HttpStatusCode.Created, body?.ToJsonString());
        var deployment = Scenario.Api.Deployments.Single();
        body!["deploymentId"]!.GetValue<long>().Should().Be(deployment.Id);
        deployment.Ref.Should().Be("feature/x");
        deployment.Environment.Should().Be("staging");
        deployment.Description.Should().Be("from Spinnaker");
        var sent = JsonNode.Parse(Scenario.GitHub.Requests.Single(r => r.Method == "POST" && r.ApiPath == "/repos/acme/api/deployments").Body)!;
        sent["auto_merge"]!.GetValue<bool>().Should().BeFalse();
        sent["required_contexts"]!.AsArray().Should().BeEmpty();
    }

    [Test]
    public async Task CreateDeployment_RetriedByOrcaInTheSameExecution_CreatesOneDeployment()
    {
        var values = Values(("repository", "acme/api"), ("ref", "main"), ("environment", "production"));

        var (first, firstBody) = await Stage("githubCreateDeployment").CreateAsync(values, _executionId);
        var (again, againBody) = await Stage("githubCreateDeployment").CreateAsync(values, _executionId);

        first.StatusCode.Should().Be(HttpStatusCode.Created, firstBody?.ToJsonString());
        again.StatusCode.Should().Be(HttpStatusCode.OK, againBody?.ToJsonString());
        againBody!["deploymentId"]!.GetValue<long>().Should().Be(firstBody!["deploymentId"]!.GetValue<long>());
        Scenario.Api.Deployments.Should().ContainSingle();
    }

    [TestCase(502)]
    [TestCase(504)]
    public async Task CreateDeployment_GitHubCreatedItButTheAnswerWasLost_OrcasRetryGetsThatDeployment(int status)
    {
        var values = Values(("repository", "acme/api"), ("ref", "main"), ("environment", "staging"));
        Scenario.GitHub.Faults.FailAfterNext("POST", "/repos/acme/api/deployments", status);

        var (first, firstBody) = await Stage("githubCreateDeployment").CreateAsync(values, _executionId);
        var (again, againBody) = await Stage("githubCreateDeployment").CreateAsync(values, _executionId);

        first.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, firstBody?.ToJsonString());
        again.IsSuccessStatusCode.Should().BeTrue(againBody?.ToJsonString());
        var deployment = Scenario.Api.Deployments.Should().ContainSingle("a second deployment would start on: deployment workflows again").Subject;
        againBody!["deploymentId"]!.GetValue<long>().Should().Be(deployment.Id);
        Scenario.GitHub.Requests.Count(r => r.Method == "POST" && r.Path == "/repos/acme/api/deployments").Should().Be(1);
    }

    [Test]
    public async Task CreateDeployment_SameCallTwiceAtOnce_CreatesOneDeployment()
    {
        var values = Values(("repository", "acme/api"), ("ref", "main"), ("environment", "canary"));
        Scenario.GitHub.Faults.DelayNext("POST", "/repos/acme/api/deployments", TimeSpan.FromMilliseconds(500));

        var answers = await Task.WhenAll(
            Stage("githubCreateDeployment").CreateAsync(values, _executionId), Stage("githubCreateDeployment").CreateAsync(values, _executionId));

        answers.Should().OnlyContain(a => a.Response.IsSuccessStatusCode);
        var deployment = Scenario.Api.Deployments.Should().ContainSingle().Subject;
        answers.Select(a => a.Body!["deploymentId"]!.GetValue<long>()).Should().OnlyContain(id => id == deployment.Id);
        Scenario.GitHub.Requests.Count(r => r.Method == "POST" && r.Path == "/repos/acme/api/deployments").Should().Be(1);
    }

    [Test]
    public async Task CreateDeployment_OrcaHangsUpMidCreate_TheRetryGetsTheSameDeployment()
    {
        var values = Values(("repository", "acme/api"), ("ref", "main"), ("environment", "qa"));
        Scenario.GitHub.Faults.DelayNext("POST", "/repos/acme/api/deployments", TimeSpan.FromSeconds(2));
        var stage = Stage("githubCreateDeployment");

        using (var hangUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
        {
            await FluentActions.Awaiting(() => stage.CreateAsync(values, _executionId, hangUp.Token)).Should().ThrowAsync<OperationCanceledException>();
        }

        var (again, againBody) = await stage.CreateAsync(values, _executionId);

        again.IsSuccessStatusCode.Should().BeTrue(againBody?.ToJsonString());
        var deployment = Scenario.Api.Deployments.Should().ContainSingle().Subject;
        againBody!["deploymentId"]!.GetValue<long>().Should().Be(deployment.Id);
    }

    [Test]
    public async Task CreateDeployment_RequiredContextsSet_ArePassedAndGitHubsConflictIsReported()
    {
        var (response, body) = await Stage("githubCreateDeployment").CreateAsync(
            Values(("repository", "acme/api"), ("ref", "main"), ("requiredContexts", "ci/build, ci/test")), _executionId);

        response.StatusCode.Should().Be(HttpStatusCode.Conflict, "GitHub refuses while the required checks are not green");
        body!["message"]!.GetValue<string>().Should().NotBeEmpty();
        var sent = JsonNode.Parse(Scenario.GitHub.Requests.Single(r => r.Method == "POST" && r.ApiPath == "/repos/acme/api/deployments").Body)!;
        sent["required_contexts"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("ci/build", "ci/test");
    }

    [Test]
    public async Task SetDeploymentStatus_WritesStateDescriptionAndUrls()
    {
        var deployment = Scenario.Api.CreateDeployment("main", "staging");

        var (response, body) = await Stage("githubSetDeploymentStatus").CreateAsync(Values(
            ("repository", "acme/api"), ("deploymentId", deployment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("state", "in_progress"),
            ("description", "rolling out"), ("logUrl", "https://spinnaker.example.com/x"), ("environmentUrl", "https://staging.example.com")), _executionId);

        response.StatusCode.Should().Be(HttpStatusCode.Created, body?.ToJsonString());
        var status = deployment.Statuses.Single();
        status.State.Should().Be("in_progress");
        status.Description.Should().Be("rolling out");
        status.LogUrl.Should().Be("https://spinnaker.example.com/x");
        status.EnvironmentUrl.Should().Be("https://staging.example.com");
    }

    [Test]
    public async Task SetCommitStatus_WritesContextAndTarget()
    {
        var sha = Scenario.Api.GetHeadSha();

        var (response, body) = await Stage("githubSetCommitStatus").CreateAsync(Values(
            ("repository", "acme/api"), ("sha", sha), ("state", "pending"), ("context", "spinnaker/deploy"), ("targetUrl", "https://spinnaker.example.com/y")), _executionId);

        response.StatusCode.Should().Be(HttpStatusCode.Created, body?.ToJsonString());
        var status = Scenario.Api.CommitStatuses.Single();
        (status.Sha, status.State, status.Context, status.TargetUrl).Should().Be((sha, "pending", "spinnaker/deploy", "https://spinnaker.example.com/y"));
    }

    [Test]
    public async Task SetCommitStatus_AppWithoutCommitStatusesWrite_FailsAtOnceNamingThePermission()
    {
        await using var scenario = await GitHubScenario.CreateAsync(configureApp: app => app.Permissions.Remove("statuses"));
        var sha = scenario.Api.GetHeadSha();

        var (response, body) = await Stage("githubSetCommitStatus", scenario.Client).CreateAsync(Values(
            ("repository", "acme/api"), ("sha", sha), ("state", "pending"), ("context", "spinnaker/deploy")), _executionId);

        response.StatusCode.Should().Be(HttpStatusCode.FailedDependency, body?.ToJsonString());
        body!["message"]!.GetValue<string>().Should().Contain("statuses=write");
        scenario.Api.CommitStatuses.Should().BeEmpty();
    }

    [Test]
    public async Task SetCommitStatus_PastGitHubs1000StatusesForTheShaAndContext_FailsWithGitHubsReason()
    {
        var sha = Scenario.Api.GetHeadSha();
        Scenario.GitHub.Options.ContentCreationLimitPerMinute = int.MaxValue;
        for (var i = 0; i < 1000; i++)
        {
            Scenario.Api.AddCommitStatus(sha, "pending", "spinnaker/deploy");
        }

        var (response, body) = await Stage("githubSetCommitStatus").CreateAsync(Values(
            ("repository", "acme/api"), ("sha", sha), ("state", "success"), ("context", "spinnaker/deploy")), _executionId);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, body?.ToJsonString());
        body!["message"]!.GetValue<string>().Should().Contain("maximum number of statuses");
    }

    private async Task<IReadOnlyList<global::Igor.GitHubActions.Testing.SimulatedRun>> WaitForRunsAsync(string workflow, int count)
    {
        await Poll.UntilAsync(() => Scenario.Api.GetWorkflow(workflow).Runs.Count >= count);
        return Scenario.Api.GetWorkflow(workflow).Runs;
    }

    private OrcaWebhookStage Stage(string type, HttpClient? client = null) => OrcaWebhookStage.Sample(type, client ?? Scenario.Client);

    private static Dictionary<string, string> Values(params (string Key, string Value)[] values) => OrcaWebhookStage.Values(values);
}
