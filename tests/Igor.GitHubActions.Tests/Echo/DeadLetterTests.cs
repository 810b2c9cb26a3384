using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Echo;

/// <summary>A message Echo refuses for good is moved aside after Echo:MaxAttempts; the next event of its job goes on.</summary>
[CancelAfter(60_000)]
public sealed class DeadLetterTests
{
    [Test]
    public async Task EchoRefusesOneEventForGood_ItIsMovedAsideListedAndCounted_TheNextEventOfTheJobGoesOn()
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        await using var echo = await FakeEcho.StartAsync();
        scenario.Settings["Echo:MaxAttempts"] = "3";
        await scenario.ConnectWebhooksAsync(echo);
        var workflow = scenario.Api.GetWorkflow("build.yml");
        var poison = workflow.CreateRun("push");
        echo.RefuseWhen = (path, body) => path == "/" && Number(body) == poison.RunNumber ? 400 : null;
        poison.Complete("success");
        await scenario.GitHub.Webhooks.DeliverAsync("workflow_run", scenario.GitHub.Webhooks.WorkflowRunPayload(poison, "completed"));

        var next = workflow.CreateRun("push");
        next.Complete("success");
        await scenario.GitHub.Webhooks.DeliverAsync("workflow_run", scenario.GitHub.Webhooks.WorkflowRunPayload(next, "completed"));
        await echo.WaitForAsync(r => r.Path == "/" && Number(r.Body) == next.RunNumber);

        echo.Refused.Should().Be(3, "a permanent refusal is tried Echo:MaxAttempts times, not forever");
        echo.Accepted.Where(r => r.Path == "/").Select(r => Number(r.Body)).Should().Equal(next.RunNumber);
        using var listing = await scenario.Client.GetAsync("admin/outbox/dead-letters");
        listing.StatusCode.Should().Be(HttpStatusCode.OK);
        var letter = JsonNode.Parse(await listing.Content.ReadAsStringAsync())!.AsArray().Should().ContainSingle().Subject!;
        letter["reason"]!.GetValue<string>().Should().Be("Echo answered 400");
        letter["attempts"]!.GetValue<int>().Should().Be(3);
        var metrics = await scenario.Client.GetStringAsync("metrics");
        metrics.Should().MatchRegex(@"(?m)^igor_outbox_dead_letters_total [1-9]");
        scenario.Service!.AllLogText().Should().Contain("moved aside");
    }

    [Test]
    public async Task EchoDownWith503_IsRetriedPastMaxAttempts_NothingIsMovedAside()
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        await using var echo = await FakeEcho.StartAsync();
        scenario.Settings["Echo:MaxAttempts"] = "2";
        await scenario.ConnectWebhooksAsync(echo);
        var run = scenario.Api.GetWorkflow("build.yml").CreateRun("push");
        echo.FailWith = 503;
        run.Complete("success");
        await scenario.GitHub.Webhooks.DeliverAsync("workflow_run", scenario.GitHub.Webhooks.WorkflowRunPayload(run, "completed"));
        await Poll.UntilAsync(() => echo.Refused >= 4);

        echo.FailWith = null;
        await echo.WaitForAsync(r => r.Path == "/" && Number(r.Body) == run.RunNumber);

        using var listing = await scenario.Client.GetAsync("admin/outbox/dead-letters");
        JsonNode.Parse(await listing.Content.ReadAsStringAsync())!.AsArray().Should().BeEmpty("Echo being down says nothing against the message");
    }

    private static int? Number(JsonNode body) => body["content"]?["project"]?["lastBuild"]?["number"]?.GetValue<int>();
}
