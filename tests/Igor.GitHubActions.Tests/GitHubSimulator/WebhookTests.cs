using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Tests.GitHubSimulator;

public sealed class WebhookTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private SimulatorHarness _h = null!;
    private WebhookReceiver _receiver = null!;

    [SetUp]
    public async Task SetUp()
    {
        _h = await SimulatorHarness.StartAsync();
        _receiver = await WebhookReceiver.StartAsync();
        _h.Sim.Webhooks.Url = _receiver.Url;
        _h.Sim.Webhooks.Secret = "It's a Secret to Everybody";
    }

    [TearDown]
    public async Task TearDown()
    {
        await _h.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Test]
    public async Task Delivery_Sent_IsSignedWithGitHubsHeaders()
    {
        var guid = await _h.Sim.Webhooks.DeliverAsync("ping", "Hello, World!");

        var received = await _receiver.NextAsync(Wait);

        received.Body.Should().Be("Hello, World!");
        received.Headers["X-Hub-Signature-256"].Should().Be("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        received.Headers["X-GitHub-Delivery"].Should().Be(guid);
        received.Headers["X-GitHub-Event"].Should().Be("ping");
        received.Headers["User-Agent"].Should().Be("GitHub-Hookshot/abc123");
        received.Headers["Content-Type"].Should().Be("application/json");
        received.Headers.Should().ContainKey("X-GitHub-Hook-ID");
        _h.Sim.Webhooks.Deliveries.Should().ContainSingle().Which.Status.Should().Be("OK");
    }

    [Test]
    public async Task FailedDeliveries_Listed_AreRedeliveredWithTheSameGuid()
    {
        _receiver.StatusCode = 500;
        var payload = new JsonObject { ["action"] = "completed", ["installation"] = new JsonObject { ["id"] = _h.InstallationId }, ["repository"] = new JsonObject { ["id"] = _h.Repo.Id } };
        var guid = await _h.Sim.Webhooks.DeliverAsync("workflow_run", payload);
        await _receiver.NextAsync(Wait);
        _receiver.StatusCode = 200;
        await _h.Sim.Webhooks.DeliverAsync("workflow_run", new JsonObject { ["action"] = "requested" });
        await _receiver.NextAsync(Wait);

        using var failures = await _h.SendAsync(HttpMethod.Get, "/app/hook/deliveries?status=failure", _h.AppJwt());
        var items = (await SimulatorHarness.ReadJsonAsync(failures)).AsArray();
        var item = items.Should().ContainSingle().Subject!;
        item["guid"]!.GetValue<string>().Should().Be(guid);
        item["status"]!.GetValue<string>().Should().NotBe("OK");
        item["status_code"]!.GetValue<int>().Should().Be(500);
        item["event"]!.GetValue<string>().Should().Be("workflow_run");
        item["action"]!.GetValue<string>().Should().Be("completed");
        item["installation_id"]!.GetValue<long>().Should().Be(_h.InstallationId);
        item["repository_id"]!.GetValue<long>().Should().Be(_h.Repo.Id);
        item["redelivery"]!.GetValue<bool>().Should().BeFalse();

        using var attempt = await _h.SendAsync(HttpMethod.Post, $"/app/hook/deliveries/{item["id"]}/attempts", _h.AppJwt());
        var redelivered = await _receiver.NextAsync(Wait);

        attempt.StatusCode.Should().Be(HttpStatusCode.Accepted);
        redelivered.Headers["X-GitHub-Delivery"].Should().Be(guid);
        (await _h.Sim.Webhooks.WaitForDeliveryAsync(d => d.Redelivery, Wait)).Status.Should().Be("OK");
    }

    [Test]
    public async Task Deliveries_Listed_PageWithACursor()
    {
        for (var i = 0; i < 3; i++)
        {
            await _h.Sim.Webhooks.DeliverAsync("ping", "{}");
        }

        using var first = await _h.SendAsync(HttpMethod.Get, "/app/hook/deliveries?per_page=2", _h.AppJwt());
        var next = first.Headers.GetValues("Link").Single();
        var nextUrl = next[1..next.IndexOf('>', StringComparison.Ordinal)];
        using var second = await _h.SendAsync(HttpMethod.Get, new Uri(nextUrl).PathAndQuery, _h.AppJwt());

        (await SimulatorHarness.ReadJsonAsync(first)).AsArray().Should().HaveCount(2);
        (await SimulatorHarness.ReadJsonAsync(second)).AsArray().Should().ContainSingle();
        second.Headers.Contains("Link").Should().BeFalse();
    }

    [Test]
    public async Task DeliveriesApi_WithoutTheAppJwt_IsRefused()
    {
        var token = await _h.InstallationTokenAsync();

        using var response = await _h.SendAsync(HttpMethod.Get, "/app/hook/deliveries", token);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task RunTransitions_Happen_DeliverWorkflowRunEventsShapedLikeGitHub()
    {
        _h.Sim.Webhooks.DeliverWorkflowRuns = true;
        var run = _h.Repo.AddWorkflow("ci.yml", "name: CI\non: push\njobs: {}\n").CreateRun();
        run.Start();
        run.Complete("success");

        var actions = new List<string>();
        JsonNode? completed = null;
        for (var i = 0; i < 3; i++)
        {
            var received = await _receiver.NextAsync(Wait);
            received.Event.Should().Be("workflow_run");
            var payload = JsonNode.Parse(received.Body)!;
            actions.Add(payload["action"]!.GetValue<string>());
            completed = payload;
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("It's a Secret to Everybody"), Encoding.UTF8.GetBytes(received.Body)));
            received.Headers["X-Hub-Signature-256"].Should().Be(expected);
        }

        actions.Should().Equal("requested", "in_progress", "completed");
        completed!["workflow_run"]!["id"]!.GetValue<long>().Should().Be(run.Id);
        completed["workflow_run"]!["conclusion"]!.GetValue<string>().Should().Be("success");
        completed["installation"]!["id"]!.GetValue<long>().Should().Be(_h.InstallationId);
        var fixture = FixtureShapeTests.LoadFixture("workflow_run_completed.payload.json");
        completed.AsObject().Select(p => p.Key).Should().Contain(fixture.AsObject().Select(p => p.Key));
        FixtureShapeTests.AssertShape(fixture, completed, "payload");
    }

    [Test]
    public async Task Deployment_Created_DeliversADeploymentEventShapedLikeGitHub()
    {
        _h.Sim.Webhooks.DeliverDeployments = true;
        var token = await _h.InstallationTokenAsync();

        using var created = await _h.SendAsync(HttpMethod.Post, "/repos/acme/api/deployments", token, new { @ref = "main", auto_merge = false, required_contexts = Array.Empty<string>() });
        var received = await _receiver.NextAsync(Wait);

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        received.Event.Should().Be("deployment");
        var payload = JsonNode.Parse(received.Body)!;
        payload["action"]!.GetValue<string>().Should().Be("created");
        payload["deployment"]!["performed_via_github_app"]!["slug"]!.GetValue<string>().Should().Be("spinnaker-igor");
        FixtureShapeTests.AssertShape(FixtureShapeTests.LoadFixture("deployment_payload.json"), payload, "payload");
    }

    [Test]
    public async Task Delivery_ReceiverUnreachable_IsRecordedAsAFailure()
    {
        await _receiver.DisposeAsync();

        await _h.Sim.Webhooks.DeliverAsync("ping", "{}");

        var delivery = _h.Sim.Webhooks.Deliveries.Single();
        delivery.StatusCode.Should().Be(0);
        delivery.Succeeded.Should().BeFalse();
        _receiver = await WebhookReceiver.StartAsync();
    }
}
