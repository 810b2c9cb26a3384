using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Webhooks;

/// <summary>GitHub webhooks in, Spinnaker triggers out: signed deliveries over real HTTP, a fake Echo on loopback.</summary>
[CancelAfter(120_000)]
public sealed class WebhookTriggerTests : ScenarioTest
{
    private FakeEcho _echo = null!;

    protected override bool StartsService => false;

    protected override async Task ConfigureAsync(GitHubScenario scenario)
    {

        _echo = await FakeEcho.StartAsync();
        await scenario.ConnectWebhooksAsync(_echo);
    }

    [TearDown]
    public async Task DisposeFixturesAsync()
    {
        await _echo.DisposeAsync();
    }

    [Test]
    public async Task GoldenWorkflowRunCompleted_BecomesBuildEventWithExactlyTheFieldsEchoReads()
    {
        var fixture = TestPaths.GoldenPayload("workflow_run/completed.json");
        Scenario.Settings["GitHub:Masters:0:Repositories:2"] = "acme/storefront";
        await Scenario.RestartServiceAsync();

        using var response = await WebhookSigner.PostAsync(Scenario.Client, "workflow_run", fixture, GitHubScenario.WebhookSecret);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var posted = await _echo.WaitForAsync(r => r.Path == "/");

        posted.ContentType.Should().StartWith("application/json");
        var body = posted.Body;
        body["details"]!["type"]!.GetValue<string>().Should().Be("build");
        body["details"]!["source"]!.GetValue<string>().Should().Be("igor");
        body["content"]!["master"]!.GetValue<string>().Should().Be(GitHubScenario.Master);
        body["content"]!["project"]!["name"]!.GetValue<string>().Should().Be("acme/storefront/release.yml");
        var lastBuild = body["content"]!["project"]!["lastBuild"]!.AsObject();
        lastBuild["building"]!.GetValue<bool>().Should().BeFalse();
        lastBuild["number"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.Number);
        lastBuild["number"]!.GetValue<int>().Should().Be(412, "the run_number, an int32, never the run id");
        lastBuild["result"]!.GetValue<string>().Should().Be("SUCCESS");
        lastBuild["url"]!.GetValue<string>().Should().Be("https://github.com/acme/storefront/actions/runs/7300000085/");
        lastBuild["artifacts"]!.AsArray().Should().BeEmpty();
        lastBuild["timestamp"]!.GetValue<string>().Should().MatchRegex("^[0-9]+$", "Orca reads it as a Long");
        var scm = lastBuild["scm"]!.AsArray().Single()!;
        scm["name"]!.GetValue<string>().Should().NotBeEmpty();
        scm["branch"]!.GetValue<string>().Should().Be("main");
        scm["sha1"]!.GetValue<string>().Should().NotBeEmpty();
    }

    [Test]
    public async Task BuildEvent_EchoCallbacksAnswerForThatRun()
    {
        var run = Scenario.Api.GetWorkflow("build.yml").CreateRun("push");
        run.Complete("success");
        await DeliverRunAsync(run);
        var posted = await _echo.WaitForAsync(r => r.Path == "/");
        var job = posted.Body["content"]!["project"]!["name"]!.GetValue<string>();
        var number = posted.Body["content"]!["project"]!["lastBuild"]!["number"]!.GetValue<int>();

        // Echo's BuildInfoService uses the path form (feature.igor.jobNameAsQueryParameter defaults to false there).
        using var status = await Scenario.Client.GetAsync($"builds/status/{number}/{GitHubScenario.Master}/{OrcaClient.PathForm(job)}");
        using var artifacts = await Scenario.Client.GetAsync($"builds/artifacts/{number}/{GitHubScenario.Master}/{OrcaClient.PathForm(job)}");

        status.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonNode.Parse(await status.Content.ReadAsStringAsync())!["result"]!.GetValue<string>().Should().Be("SUCCESS");
        artifacts.StatusCode.Should().Be(HttpStatusCode.OK);
        Scenario.GitHub.Requests.Should().NotContain(r => r.Path.EndsWith("/runs", StringComparison.Ordinal) && r.QueryString.Contains("page=2", StringComparison.Ordinal),
            "the webhook recorded run number → run id");
    }

    [TestCase("success", "SUCCESS")]
    [TestCase("failure", "FAILURE")]
    [TestCase("cancelled", "ABORTED")]
    [TestCase("timed_out", "FAILURE")]
    [TestCase("startup_failure", "FAILURE")]
    [TestCase("skipped", "NOT_BUILT")]
    public async Task EveryConclusion_IsPostedWithItsMappedResult(string conclusion, string result)
    {
        var run = Scenario.Api.GetWorkflow("deploy.yml").CreateRun("push");
        run.Complete(conclusion);

        await DeliverRunAsync(run);

        var posted = await _echo.WaitForAsync(r => r.Path == "/");
        posted.Body["content"]!["project"]!["lastBuild"]!["result"]!.GetValue<string>().Should().Be(result);
    }

    [Test]
    public async Task SkippedRun_FiresNoTriggerByDefault_YetTheJenkinsStageSucceeds_AndTheOptionRestoresSuccess()
    {
        // Echo fires a Jenkins trigger on SUCCESS only (contract correction 8): a run that did nothing must not fire one.
        var orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);
        var number = await orca.WaitForBuildNumberAsync(await orca.StartOkAsync("acme/api/deploy.yml", new Dictionary<string, string> { ["version"] = "1" }));
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.Complete("skipped");
        await DeliverRunAsync(run);

        var posted = await _echo.WaitForAsync(r => r.Path == "/");
        Result(posted).Should().Be("NOT_BUILT");
        JsonObject stage = null!;
        await Poll.UntilAsync(async () => !(stage = await orca.StatusJsonAsync("acme/api/deploy.yml", number))["building"]!.GetValue<bool>());
        stage["result"]!.GetValue<string>().Should().Be("SUCCESS", "the stage that waited for it succeeds");

        Scenario.Settings["Echo:SkippedRunsTrigger"] = "true";
        await Scenario.ConnectWebhooksAsync(_echo);
        var again = Scenario.Api.GetWorkflow("build.yml").CreateRun("push");
        again.Complete("skipped");
        await DeliverRunAsync(again);
        var triggering = await _echo.WaitForAsync(r => r.Path == "/" && Number(r) == again.RunNumber && r.Body["content"]!["project"]!["name"]!.GetValue<string>() == "acme/api/build.yml");
        Result(triggering).Should().Be("SUCCESS");
    }

    [Test]
    public async Task RunWaitingForApproval_IsNeverTakenAsFinalFromItsSnapshot_AndIsFollowedToItsResult()
    {
        // GitHub reports a run waiting for a reviewer as completed/action_required; it goes on once approved.
        Scenario.Settings["GitHub:WebhookFreshness"] = "00:00:01";
        await Scenario.ConnectWebhooksAsync(_echo);
        var orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);
        var number = await orca.WaitForBuildNumberAsync(await orca.StartOkAsync("acme/api/deploy.yml", new Dictionary<string, string> { ["version"] = "1" }));
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.Complete("action_required");
        await DeliverRunAsync(run);
        await Poll.UntilAsync(async () => (await SnapshotAsync(run.Id))?.StatusRank == 3);

        (await orca.StatusJsonAsync("acme/api/deploy.yml", number))["building"]!.GetValue<bool>().Should().BeTrue("waiting for approval is still building");

        // Approved and finished; its completion delivery is lost: GitHub is read again once the snapshot is stale.
        run.Complete("success");
        JsonObject finished = null!;
        await Poll.UntilAsync(async () => !(finished = await orca.StatusJsonAsync("acme/api/deploy.yml", number))["building"]!.GetValue<bool>());
        finished["result"]!.GetValue<string>().Should().Be("SUCCESS");
        _echo.Accepted.Where(r => r.Path == "/").Should().BeEmpty("a run waiting for approval fires no trigger");
    }

    [Test]
    public async Task AutomaticDeliveriesFromTheSimulator_EmitOneEventPerRunAttempt()
    {
        Scenario.GitHub.Webhooks.DeliverWorkflowRuns = true;
        var run = Scenario.Api.GetWorkflow("build.yml").CreateRun("push");
        run.Start();
        run.Complete("failure");
        await _echo.WaitForAsync(r => r.Path == "/" && Result(r) == "FAILURE");

        run.Rerun();
        run.Complete("success");
        await _echo.WaitForAsync(r => r.Path == "/" && Result(r) == "SUCCESS");

        _echo.Accepted.Where(r => r.Path == "/").Should().HaveCount(2, "requested and in_progress deliveries emit nothing; each attempt's completion emits once");
    }

    [Test]
    public async Task StatusPolls_WhileWebhooksFlow_AreAnsweredWithoutAskingGitHub()
    {
        Scenario.Settings["GitHub:WebhookGrace"] = "00:00:10";
        await Scenario.ConnectWebhooksAsync(_echo);
        Scenario.GitHub.Webhooks.DeliverWorkflowRuns = true;
        var orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);
        var queueId = await orca.StartOkAsync("acme/api/deploy.yml", new Dictionary<string, string> { ["version"] = "1.0.0" });
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        await Scenario.GitHub.Webhooks.WaitForDeliveryAsync(d => d.Action == "requested" && d.Succeeded, TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(async () => await SnapshotAsync(run.Id) is not null);

        var number = await orca.WaitForBuildNumberAsync(queueId);
        run.Start();
        await Poll.UntilAsync(async () => (await SnapshotAsync(run.Id))?.StatusRank == 2);
        var running = await orca.StatusJsonAsync("acme/api/deploy.yml", number);
        run.Complete("success");
        await Poll.UntilAsync(async () => (await SnapshotAsync(run.Id))?.StatusRank == 3);
        // The service reads the store's snapshot at most once per StatusCacheDuration; poll (with a deadline) until it shows.
        JsonObject finished = null!;
        await Poll.UntilAsync(async () =>
        {
            finished = await orca.StatusJsonAsync("acme/api/deploy.yml", number);
            return !finished["building"]!.GetValue<bool>();
        });

        running["building"]!.GetValue<bool>().Should().BeTrue();
        finished["result"]!.GetValue<string>().Should().Be("SUCCESS");
        Scenario.GitHub.Requests.Should().NotContain(r => r.Path == $"/repos/acme/api/actions/runs/{run.Id}" || r.Path.EndsWith("/runs", StringComparison.Ordinal),
            "the dispatch returned the run id and webhooks told the rest");
        Scenario.GitHub.Requests.Count(r => r.Path.Contains("/actions/runs", StringComparison.Ordinal)).Should().BeLessThanOrEqualTo(1,
            "at most one read: the finished run's uploaded artifacts, listed once for the build's artifacts");
    }

    [Test]
    public async Task Redelivery_SameDeliveryId_IsAcknowledgedAndIgnored()
    {
        var run = Scenario.Api.GetWorkflow("build.yml").CreateRun("push");
        run.Complete("success");
        var payload = await PayloadOfAsync(run);
        var id = Guid.NewGuid().ToString();

        using var first = await WebhookSigner.PostAsync(Scenario.Client, "workflow_run", payload, GitHubScenario.WebhookSecret, id);
        using var second = await WebhookSigner.PostAsync(Scenario.Client, "workflow_run", payload, GitHubScenario.WebhookSecret, id);
        using var third = await WebhookSigner.PostAsync(Scenario.Client, "workflow_run", payload, GitHubScenario.WebhookSecret);
        await _echo.WaitForAsync(r => r.Path == "/");

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        (await second.Content.ReadAsStringAsync()).Should().Contain("duplicate");
        third.StatusCode.Should().Be(HttpStatusCode.Accepted, "a new delivery id is stored, and the outbox key keeps the event single");
        await WaitForIdleOutboxAsync();
        _echo.Accepted.Should().ContainSingle(r => r.Path == "/");
    }

    [TestCase(null, "missing")]
    [TestCase("sha256=0000000000000000000000000000000000000000000000000000000000000000", "wrong")]
    public async Task BadSignature_Answers401AndRecordsNothing(string? signature, string why)
    {
        var run = Scenario.Api.GetWorkflow("build.yml").CreateRun("push");
        run.Complete("success");
        var payload = await PayloadOfAsync(run);
        var id = Guid.NewGuid().ToString();

        using var response = await WebhookSigner.PostAsync(Scenario.Client, "workflow_run", payload, secret: null, id, signature);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, why);
        (await response.Content.ReadAsStringAsync()).Should().Contain("X-Hub-Signature-256").And.NotContain(GitHubScenario.WebhookSecret);
        using var signed = await WebhookSigner.PostAsync(Scenario.Client, "workflow_run", payload, GitHubScenario.WebhookSecret, id);
        signed.StatusCode.Should().Be(HttpStatusCode.Accepted, "the refused delivery was not recorded, so its id is new");
    }

    [Test]
    public async Task OversizedBody_Answers413()
    {
        Scenario.Settings["GitHub:WebhookMaxBytes"] = "2048";
        await Scenario.RestartServiceAsync();
        var body = "{\"action\":\"completed\",\"pad\":\"" + new string('x', 4096) + "\"}";

        using var response = await WebhookSigner.PostAsync(Scenario.Client, "workflow_run", body, GitHubScenario.WebhookSecret);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [TestCase("{not json")]
    [TestCase("[1,2,3]")]
    public async Task MalformedBody_Answers400(string body)
    {
        using var response = await WebhookSigner.PostAsync(Scenario.Client, "workflow_run", body, GitHubScenario.WebhookSecret);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("message");
    }

    [TestCase("issues", "{\"action\":\"opened\"}")]
    [TestCase("workflow_job", "{\"action\":\"queued\"}")]
    public async Task UnusedEventsAndActions_Answer202AndAreIgnored(string eventName, string body)
    {
        using var response = await WebhookSigner.PostAsync(Scenario.Client, eventName, body, GitHubScenario.WebhookSecret);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"accepted\":false");
    }

    [Test]
    public async Task Ping_IsAccepted()
    {
        using var response = await WebhookSigner.PostAsync(Scenario.Client, "ping", "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}", GitHubScenario.WebhookSecret);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Test]
    public async Task NoSecretConfigured_EndpointRefusesToWork()
    {
        Scenario.Settings["GitHub:WebhookSecret"] = "";
        await Scenario.RestartServiceAsync();

        using var response = await WebhookSigner.PostAsync(Scenario.Client, "ping", "{}", "anything");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain("GitHub:WebhookSecret");
    }

    [Test]
    public async Task DeploymentCreated_BecomesWebhookTriggerEchoMatchesOn()
    {
        var deployment = Scenario.Api.CreateDeployment("main", "staging", payloadJson: "{\"version\":\"1.2.3\"}", description: "ship it");
        await Scenario.GitHub.Webhooks.DeliverAsync("deployment", Scenario.GitHub.Webhooks.DeploymentPayload(deployment));

        var posted = await _echo.WaitForAsync(r => r.Path.StartsWith("/webhooks/webhook/", StringComparison.Ordinal));

        posted.Path.Should().Be("/webhooks/webhook/github-deployment");
        var body = posted.Body;
        body["repository"]!.GetValue<string>().Should().Be("acme/api");
        body["environment"]!.GetValue<string>().Should().Be("staging");
        body["ref"]!.GetValue<string>().Should().Be("main");
        body["sha"]!.GetValue<string>().Should().Be(deployment.Sha);
        body["task"]!.GetValue<string>().Should().Be("deploy");
        body["deployment_id"]!.GetValue<long>().Should().Be(deployment.Id);
        body["creator"]!.GetValue<string>().Should().NotBeEmpty();
        body["payload"]!["version"]!.GetValue<string>().Should().Be("1.2.3");
        body["parameters"]!["environment"]!.GetValue<string>().Should().Be("staging");
        body["parameters"]!["deployment_id"]!.GetValue<string>().Should().Be(deployment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task GoldenDeployment_FromAnotherRepository_IsNotForwarded_UntilAllowed()
    {
        // Two different deployments, so the outbox's once-per-key cannot hide a wrong forward of the first.
        var refusedFixture = JsonNode.Parse(TestPaths.GoldenPayload("deployment/created.json"))!;
        var allowedFixture = refusedFixture.DeepClone();
        allowedFixture["deployment"]!["id"] = refusedFixture["deployment"]!["id"]!.GetValue<long>() + 1;
        using var refused = await WebhookSigner.PostAsync(Scenario.Client, "deployment", refusedFixture.ToJsonString(), GitHubScenario.WebhookSecret, "refused-delivery");
        await Poll.UntilAsync(() => Scenario.Service!.AllLogText().Contains("Delivery refused-delivery: acme/storefront is in no master's allowlist", StringComparison.Ordinal));
        await WaitForIdleOutboxAsync();
        _echo.Accepted.Should().BeEmpty("a deployment of a repository outside the allowlist is not forwarded");

        Scenario.Settings["GitHub:Masters:0:Repositories:2"] = "acme/storefront";
        await Scenario.RestartServiceAsync();
        using var allowed = await WebhookSigner.PostAsync(Scenario.Client, "deployment", allowedFixture.ToJsonString(), GitHubScenario.WebhookSecret);
        var posted = await _echo.WaitForAsync(r => r.Path == "/webhooks/webhook/github-deployment");

        posted.Body["repository"]!.GetValue<string>().Should().Be("acme/storefront");
        posted.Body["deployment_id"]!.GetValue<long>().Should().Be(allowedFixture["deployment"]!["id"]!.GetValue<long>());
        _echo.Accepted.Should().ContainSingle();
    }

    [Test]
    public async Task WorkflowRunOfARepositoryOutsideTheAllowlist_EmitsNothing()
    {
        var outside = Scenario.GitHub.AddRepository("acme", "secret-service");
        outside.AddWorkflow("build.yml", global::Igor.GitHubActions.Testing.SampleWorkflows.Build);
        var run = outside.GetWorkflow("build.yml").CreateRun("push");
        run.Complete("success");

        using var response = await WebhookSigner.PostAsync(Scenario.Client, "workflow_run", await PayloadOfAsync(run), GitHubScenario.WebhookSecret, "outside-delivery");
        await Poll.UntilAsync(() => Scenario.Service!.AllLogText().Contains("Delivery outside-delivery: acme/secret-service is in no master's allowlist", StringComparison.Ordinal));
        await WaitForIdleOutboxAsync();

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);
        _echo.Accepted.Should().BeEmpty("the App may be installed on more repositories than a master follows");
    }

    [Test]
    public async Task DeploymentCreatedByThisServicesApp_DoesNotTrigger()
    {
        var payload = JsonNode.Parse(TestPaths.GoldenPayload("deployment/created.by-own-app.json"))!;
        payload["repository"]!["full_name"] = "acme/api";
        var other = JsonNode.Parse(TestPaths.GoldenPayload("deployment/created.json"))!;
        other["repository"]!["full_name"] = "acme/api";
        other["deployment"]!["id"] = 777;
        other["deployment"]!["performed_via_github_app"] = new JsonObject { ["id"] = 15368, ["slug"] = "github-actions" };

        using var own = await WebhookSigner.PostAsync(Scenario.Client, "deployment", payload.ToJsonString(), GitHubScenario.WebhookSecret);
        using var actions = await WebhookSigner.PostAsync(Scenario.Client, "deployment", other.ToJsonString(), GitHubScenario.WebhookSecret);
        var posted = await _echo.WaitForAsync(r => r.Path == "/webhooks/webhook/github-deployment");

        posted.Body["deployment_id"]!.GetValue<long>().Should().Be(777);
        await WaitForIdleOutboxAsync();
        _echo.Accepted.Should().ContainSingle("the service's own deployment would loop");
    }

    [Test]
    public async Task EchoOutage_EventsWaitInTheOutboxAndArriveOnceInOrder()
    {
        _echo.FailWith = 503;
        var workflow = Scenario.Api.GetWorkflow("build.yml");
        var runs = Enumerable.Range(0, 3).Select(_ => workflow.CreateRun("push")).ToArray();
        foreach (var run in runs)
        {
            run.Complete("success");
            await DeliverRunAsync(run);
        }

        await Poll.UntilAsync(() => _echo.Refused >= 3);
        _echo.FailWith = null;

        await _echo.WaitForAsync(r => Number(r) == runs[2].RunNumber);
        _echo.Accepted.Select(Number).Should().Equal(runs.Select(r => r.RunNumber), "order per job is kept");
    }

    [Test]
    public async Task Restart_WhileEchoIsDown_LosesNothingAndDuplicatesNothing()
    {
        _echo.FailWith = 502;
        var run = Scenario.Api.GetWorkflow("build.yml").CreateRun("push");
        run.Complete("success");
        await DeliverRunAsync(run);
        await Poll.UntilAsync(() => _echo.Refused >= 1);

        await Scenario.RestartServiceAsync();
        Scenario.GitHub.Webhooks.Url = new Uri(Scenario.Service!.BaseAddress, "webhooks/github");
        _echo.FailWith = null;

        await _echo.WaitForAsync(r => Number(r) == run.RunNumber);
        await WaitForIdleOutboxAsync();
        _echo.Accepted.Should().ContainSingle();
    }

    [Test]
    public async Task FailedDelivery_IsRedeliveredThroughTheDeliveriesApi()
    {
        var run = Scenario.Api.GetWorkflow("build.yml").CreateRun("push");
        run.Complete("success");
        Scenario.GitHub.Webhooks.Url = new Uri("http://127.0.0.1:9/webhooks/github");
        await Scenario.GitHub.Webhooks.DeliverAsync("workflow_run", await PayloadOfAsync(run));
        Scenario.GitHub.Webhooks.Deliveries.Should().ContainSingle(d => !d.Succeeded);

        Scenario.Settings["GitHub:ReconciliationInterval"] = "00:10:00";
        Scenario.Settings["GitHub:ReconciliationLookBack"] = "00:00:00";
        await Scenario.RestartServiceAsync();
        Scenario.GitHub.Webhooks.Url = new Uri(Scenario.Service!.BaseAddress, "webhooks/github");

        await Scenario.GitHub.Webhooks.WaitForDeliveryAsync(d => d.Redelivery && d.Succeeded, TimeSpan.FromSeconds(20));
        var posted = await _echo.WaitForAsync(r => r.Path == "/");
        Number(posted).Should().Be(run.RunNumber);
    }

    [Test]
    public async Task DeploymentsCreatedWhileTheServiceWasDown_130_AllReachEchoOnce()
    {
        // More failed deliveries than one page of GET /app/hook/deliveries (100): the oldest are on the second page.
        Scenario.GitHub.Webhooks.Url = new Uri("http://127.0.0.1:9/webhooks/github");
        var deployments = new List<long>();
        for (var i = 0; i < 130; i++)
        {
            var deployment = Scenario.Api.CreateDeployment("main", $"env-{i}");
            deployments.Add(deployment.Id);
            await Scenario.GitHub.Webhooks.DeliverAsync("deployment", Scenario.GitHub.Webhooks.DeploymentPayload(deployment));
        }

        Scenario.GitHub.Webhooks.Deliveries.Count(d => !d.Succeeded).Should().Be(130);
        Scenario.Settings["GitHub:ReconciliationInterval"] = "00:10:00";
        await Scenario.RestartServiceAsync();
        Scenario.GitHub.Webhooks.Url = new Uri(Scenario.Service!.BaseAddress, "webhooks/github");

        await Poll.UntilAsync(() => _echo.Accepted.Count(r => r.Path == "/webhooks/webhook/github-deployment") >= 130, TimeSpan.FromSeconds(60));
        await WaitForIdleOutboxAsync();

        var triggers = _echo.Accepted.Where(r => r.Path == "/webhooks/webhook/github-deployment").Select(r => r.Body["deployment_id"]!.GetValue<long>()).ToArray();
        triggers.Should().BeEquivalentTo(deployments, "every deployment reaches Echo exactly once, the oldest included");
    }

    [Test]
    public async Task RunsCompletedWhileTheServiceWasDown_150_AllReachEchoOnce()
    {
        // More completed runs than one page of GET /actions/runs (100): the oldest are on the second page.
        Scenario.GitHub.Webhooks.Url = new Uri("http://127.0.0.1:9/webhooks/github");
        var workflow = Scenario.Api.GetWorkflow("build.yml");
        var numbers = new List<int>();

        // The outage lasts a while: its runs end well after the service first started on its store.
        Scenario.Clock.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < 150; i++)
        {
            var run = workflow.CreateRun("push");
            run.Complete("success");
            numbers.Add(run.RunNumber);
        }

        Scenario.Settings["GitHub:ReconciliationInterval"] = "00:10:00";
        await Scenario.RestartServiceAsync();

        await Poll.UntilAsync(() => _echo.Accepted.Count(r => r.Path == "/") >= 150, TimeSpan.FromSeconds(60));
        await WaitForIdleOutboxAsync();
        _echo.Accepted.Where(r => r.Path == "/").Select(Number).Should().BeEquivalentTo(numbers, "every missed run is emitted once, the oldest included");
    }

    [Test]
    public async Task MissedRun_IsEmittedByReconciliation_AndHistoryIsNotReplayed()
    {
        // A run that finished before the service first started on its store is history: never emitted, whatever the look-back.
        var workflow = Scenario.Api.GetWorkflow("build.yml");
        var old = workflow.CreateRun("push");
        old.Complete("success");

        // A minute later the service starts on a new store: the run ended before the store existed.
        Scenario.Clock.Advance(TimeSpan.FromMinutes(1));
        Scenario.Settings["State:Sqlite:Path"] = Path.Combine(TestPaths.NewScratchDirectory(), "igor.db");
        Scenario.Settings["GitHub:ReconciliationInterval"] = "00:10:00";
        Scenario.Settings["GitHub:ReconciliationLookBack"] = "01:00:00";
        await Scenario.RestartServiceAsync();
        await Poll.UntilAsync(() => Scenario.Service!.AllLogText().Contains("Reconciled master", StringComparison.Ordinal));
        _echo.Accepted.Should().BeEmpty("a first start does not flood Echo with history");

        // One that finished while the service was down, after it had started on this store, is a missed event.
        await Scenario.Service!.DisposeAsync();
        Scenario.Clock.Advance(TimeSpan.FromMinutes(1));
        var missed = workflow.CreateRun("push");
        missed.Complete("success");
        await Scenario.RestartServiceAsync();
        var posted = await _echo.WaitForAsync(r => r.Path == "/");
        Number(posted).Should().Be(missed.RunNumber, "a run finished within the look-back without an event is emitted");
        await WaitForIdleOutboxAsync();
        await Scenario.RestartServiceAsync();
        await Poll.UntilAsync(() => Scenario.Service!.AllLogText().Contains("Reconciled master", StringComparison.Ordinal));
        _echo.Accepted.Should().ContainSingle("reconciliation never emits an event twice, and never the history");
    }

    private Task<global::Igor.GitHubActions.State.RunSnapshot?> SnapshotAsync(long runId) =>
        ((global::Igor.GitHubActions.State.IStateStore)Scenario.Service!.Services.GetService(typeof(global::Igor.GitHubActions.State.IStateStore))!)
            .Snapshots.GetRunSnapshotAsync(runId, CancellationToken.None);

    private static string? Result(EchoRequest request) => request.Body["content"]?["project"]?["lastBuild"]?["result"]?.GetValue<string>();

    private static int Number(EchoRequest request) => request.Body["content"]!["project"]!["lastBuild"]!["number"]!.GetValue<int>();

    /// <summary>The payload the simulator (as GitHub) sends for the run's completion.</summary>
    private Task<string> PayloadOfAsync(global::Igor.GitHubActions.Testing.SimulatedRun run) =>
        Task.FromResult(Scenario.GitHub.Webhooks.WorkflowRunPayload(run, "completed").ToJsonString());

    private async Task DeliverRunAsync(global::Igor.GitHubActions.Testing.SimulatedRun run)
    {
        var payload = await PayloadOfAsync(run);
        using var response = await WebhookSigner.PostAsync(Scenario.Client, "workflow_run", payload, GitHubScenario.WebhookSecret);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    private Task WaitForIdleOutboxAsync() => Scenario.WaitForIdleOutboxAsync();
}
