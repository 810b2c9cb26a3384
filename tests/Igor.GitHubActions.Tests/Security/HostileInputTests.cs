using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Igor.GitHubActions.Tests.Security;

/// <summary>Hostile job names, parameters and webhook bodies: refused with 4xx before any GitHub call, or passed as data.</summary>
[CancelAfter(120_000)]
public sealed class HostileInputTests : ScenarioTest
{
    private const string Master = GitHubScenario.Master;

    protected override bool SharedByFixture => true;

    protected override Task ConfigureAsync(GitHubScenario scenario)
    {
        scenario.Settings["GitHub:WebhookSecret"] = GitHubScenario.WebhookSecret;
        scenario.Settings["GitHub:WebhookMaxBytes"] = "65536";
        scenario.ConfigureService = builder => builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestLineSize = 256 * 1024);
        return Task.CompletedTask;
    }

    [SetUp]
    public void SetUp() => Scenario.GitHub.ClearRequests();

    [TestCase("acme/api/..%2F..%2Fsecrets.yml", "is not a workflow file name")]
    [TestCase("acme/api/..%5Cdeploy.yml", "is not a workflow file name")]
    [TestCase("acme/../deploy.yml", "is not a GitHub repository name")]
    [TestCase("acme/%2E%2E/deploy.yml", "is not a GitHub repository name")]
    [TestCase("acme%2Fapi/x/deploy.yml", "is not a GitHub owner name")]
    [TestCase("acme/api%2Fevil/deploy.yml", "is not a GitHub repository name")]
    [TestCase("%2Fetc%2Fpasswd", "expected owner/repo/workflow.yml")]
    [TestCase("acme/api/%2Fetc%2Fpasswd.yml", "is not a workflow file name")]
    [TestCase("acme/api/deploy%00.yml", "")]
    [TestCase("acme/api%0A/deploy.yml", "is not a GitHub repository name")]
    [TestCase("ac%1Bme/api/deploy.yml", "is not a GitHub owner name")]
    [TestCase("acme/api/deploy.sh", "is not a workflow file name")]
    [TestCase("acme/api/.github/workflows/deploy.yml", "expected owner/repo/workflow.yml")]
    [TestCase("acme/api/%zz.yml", "is not a workflow file name")]
    [TestCase("acme/api/..%252F..%252Fx.yml", "is not a workflow file name")]
    public async Task JobName_Hostile_Is400BeforeAnyGitHubCall(string job, string message)
    {
        string[] targets =
        [
            $"/jobs/{Master}/{job}",
            $"/builds/status/1/{Master}/{job}",
            $"/builds/all/{Master}/{job}",
        ];
        foreach (var target in targets)
        {
            var (status, body) = await RawHttp.SendAsync(Scenario.Service!.BaseAddress, "GET", target);
            status.Should().Be(400, $"{target}: {body}");
            if (message.Length > 0)
            {
                // Kestrel itself refuses a NUL in the target, with an empty 400.
                body.Should().Contain(message);
            }
        }

        var (putStatus, putBody) = await RawHttp.SendAsync(
            Scenario.Service!.BaseAddress, "PUT", $"/masters/{Master}/jobs/{job}", [("Content-Type", "application/json")], "\"1\""u8.ToArray());
        putStatus.Should().Be(400, putBody);
        Scenario.GitHub.Requests.Should().BeEmpty();
    }

    [TestCase("/etc/passwd")]
    [TestCase("acme/api/../../x.yml")]
    [TestCase("acme/../deploy.yml")]
    [TestCase("acme/api/deploy.yml\n")]
    [TestCase("acme/api/deploy.yml/extra")]
    public async Task JobName_HostileInQuery_Is400BeforeAnyGitHubCall(string job)
    {
        using var status = await Scenario.Client.GetAsync($"builds/status/1/{Master}?job={Uri.EscapeDataString(job)}");
        using var stop = await Scenario.Client.PutAsync($"masters/{Master}/jobs/stop/1/1?jobName={Uri.EscapeDataString(job)}", new StringContent("\"\""));

        status.StatusCode.Should().Be(HttpStatusCode.BadRequest, await status.Content.ReadAsStringAsync());
        stop.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Scenario.GitHub.Requests.Should().BeEmpty();
    }

    [Test]
    public async Task JobName_RepositoryNotAllowed_Is404BeforeAnyGitHubCall()
    {
        using var response = await Scenario.Client.GetAsync($"jobs/{Master}/evil/repo/deploy.yml");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("not in its repository allowlist");
        Scenario.GitHub.Requests.Should().BeEmpty();
    }

    [Test]
    public async Task Parameters_MoreThan25Inputs_Are400BeforeAnyGitHubCall()
    {
        var parameters = Enumerable.Range(0, 26).ToDictionary(i => $"input_{i}", i => "x");
        parameters["github.ref"] = "main";

        using var response = await new OrcaClient(Scenario.Client, Master).StartAsync("acme/api/deploy.yml", parameters);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("at most 25 workflow inputs");
        Scenario.GitHub.Requests.Should().BeEmpty();
    }

    [Test]
    public async Task Parameters_Over65535Characters_Are400BeforeAnyGitHubCall()
    {
        var parameters = Enumerable.Range(0, 10).ToDictionary(i => $"input_{i}", _ => new string('v', 7000));

        using var response = await new OrcaClient(Scenario.Client, Master).StartAsync("acme/api/deploy.yml", parameters);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadAsStringAsync()).Should().Contain("at most 65535");
        Scenario.GitHub.Requests.Should().BeEmpty();
    }

    [TestCase("../version")]
    [TestCase("1abc")]
    [TestCase("in put")]
    [TestCase("inputs[0]")]
    public async Task Parameters_NotAnInputName_Are400BeforeAnyGitHubCall(string name)
    {
        using var response = await new OrcaClient(Scenario.Client, Master).StartAsync("acme/api/deploy.yml", new Dictionary<string, string> { [name] = "1" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("is not a workflow input name");
        Scenario.GitHub.Requests.Should().BeEmpty();
    }

    [Test]
    public async Task Parameters_RepositoryDispatchOver10Keys_Are400BeforeTheDispatch()
    {
        var parameters = Enumerable.Range(0, 10).ToDictionary(i => $"key_{i}", i => "x");

        using var response = await new OrcaClient(Scenario.Client, Master).StartAsync("acme/api/release.yml", parameters);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("at most 10 keys");
        Scenario.GitHub.Requests.Should().NotContain(r => r.Method == "POST");
    }

    [Test]
    public async Task Parameters_HostileValues_AreSentAsJsonData()
    {
        const string value = "1\"}, \"ref\": \"evil\", \"x\": {\"a\": \"${{ secrets.TOKEN }}\n$(rm -rf /)\u2028'";

        await new OrcaClient(Scenario.Client, Master).StartOkAsync(
            "acme/api/deploy.yml", new Dictionary<string, string> { ["version"] = value, ["github.ref"] = "main" });

        var dispatch = Scenario.GitHub.Requests.Single(r => r.Method == "POST" && r.ApiPath.EndsWith("/dispatches", StringComparison.Ordinal));
        dispatch.ApiPath.Should().Be("/repos/acme/api/actions/workflows/deploy.yml/dispatches");
        var body = JsonNode.Parse(dispatch.Body)!;
        body["ref"]!.GetValue<string>().Should().Be("main");
        body["inputs"]!["version"]!.GetValue<string>().Should().Be(value);
        Scenario.Api.GetWorkflow("deploy.yml").Runs[^1].Inputs.Should().Contain("version", value);
    }

    [TestCase("{", "not valid JSON")]
    [TestCase("[1,2]", "not a JSON object")]
    [TestCase("\"text\"", "not a JSON object")]
    [TestCase("{\"action\":\"completed\",\"workflow_run\":1}\u0000", "not valid JSON")]
    public async Task Webhook_MalformedBody_Is400(string body, string message)
    {
        using var response = await WebhookSigner.PostAsync(Scenario.Client, "workflow_run", body, GitHubScenario.WebhookSecret);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain(message);
    }

    [Test]
    public async Task Webhook_DeeplyNested_Is400()
    {
        var body = "{\"action\":\"completed\",\"x\":" + string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)) + "}";

        using var response = await WebhookSigner.PostAsync(Scenario.Client, "workflow_run", body, GitHubScenario.WebhookSecret);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Webhook_OverTheSizeLimit_Is413()
    {
        var body = "{\"action\":\"completed\",\"pad\":\"" + new string('x', 70_000) + "\"}";

        using var response = await WebhookSigner.PostAsync(Scenario.Client, "workflow_run", body, GitHubScenario.WebhookSecret);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [TestCase("workflow_run", "{\"action\":\"completed\",\"workflow_run\":\"run\",\"repository\":[]}")]
    [TestCase("workflow_run", "{\"action\":\"completed\",\"workflow_run\":{\"id\":\"1\",\"run_number\":{},\"path\":5},\"repository\":{\"full_name\":7}}")]
    [TestCase("deployment", "{\"action\":\"created\",\"deployment\":{\"id\":\"x\",\"performed_via_github_app\":{\"id\":\"y\"},\"creator\":[]},\"repository\":{\"full_name\":\"acme/api\"}}")]
    [TestCase("deployment", "{\"action\":\"created\",\"deployment\":[],\"repository\":\"acme/api\"}")]
    public async Task Webhook_WrongTypes_AreAcceptedAndProcessedWithoutFailure(string eventName, string body)
    {
        var delivery = Guid.NewGuid().ToString();

        using var response = await WebhookSigner.PostAsync(Scenario.Client, eventName, body, GitHubScenario.WebhookSecret, delivery);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var logs = Scenario.Service!.Logs;
        await WaitUntilAsync(() => logs.GetSnapshot().Any(r =>
            r.Message.Contains(delivery, StringComparison.Ordinal) && (r.Category ?? "").StartsWith("Igor.GitHubActions.Webhooks.Handlers.", StringComparison.Ordinal) ||
            r.Message.Contains("could not be processed", StringComparison.Ordinal)));
        logs.GetSnapshot().Should().NotContain(r => r.Message.Contains("could not be processed", StringComparison.Ordinal));
    }

    /// <summary>Polls a log line: the background processing of a delivery has no change signal of its own.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (elapsed.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException("the delivery was not processed in 20 s");
            }

            await Task.Delay(20);
        }
    }
}
