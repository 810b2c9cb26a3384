using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.GitHub;

/// <summary>
/// GitHub refusing the App (a rotated key, a missing permission) is something only an operator can fix: the Jenkins
/// stage fails at once with what to fix. Orca retries 429, 502, 503 and 504 until the task times out (15 minutes for
/// the start), so none of those may carry a refusal; the Orca stand-in retries exactly those.
/// </summary>
[CancelAfter(60_000)]
public sealed class GitHubRefusalTests
{
    private const string Deploy = "acme/api/deploy.yml";

    [Test]
    public async Task AppLacksActionsWrite_TheStageFailsAtOnce_NamingThePermission_NothingStarted()
    {
        await using var scenario = await GitHubScenario.CreateAsync(configureApp: app => app.Permissions["actions"] = "read");
        var orca = new OrcaClient(scenario.Client, GitHubScenario.Master);

        var (status, body, tries) = await orca.StartAsOrcaAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" }, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));

        status.Should().Be(HttpStatusCode.FailedDependency, body);
        tries.Should().Be(1, "a refusal is not something Orca should retry");
        var message = JsonNode.Parse(body)!["message"]!.GetValue<string>();
        message.Should().Contain("actions=write").And.Contain("App").And.Contain(GitHubScenario.Master);
        scenario.Api.GetWorkflow("deploy.yml").Runs.Should().BeEmpty();
        using var health = await scenario.Client.GetAsync("health");
        health.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await health.Content.ReadAsStringAsync()).Should().Contain("DOWN").And.Contain("actions=write");
    }

    [Test]
    public async Task LogDownloadRefused_ForAPermission_IsARefusalNamingIt_NotA503()
    {
        // GitHub sends x-ratelimit-remaining on every answer, a permission refusal included: only Retry-After or a
        // remaining of 0 makes a 403 a rate limit.
        await using var scenario = await GitHubScenario.CreateAsync();
        var orca = new OrcaClient(scenario.Client, GitHubScenario.Master);
        var number = await orca.WaitForBuildNumberAsync(await orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" }));
        var run = scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        var job = run.AddJob("deploy", "2026-11-24T10:00:01.0000000Z SPINNAKER_PROPERTY_A=1\n");
        run.Complete("success");
        scenario.GitHub.Faults.RefusePermissionNext("GET", $"/repos/acme/api/actions/jobs/{job.Id}/logs", "actions=read", times: 10);

        using var response = await scenario.Client.GetAsync($"builds/properties/{number}/build.properties/{GitHubScenario.Master}?job={OrcaClient.QueryForm(Deploy)}");

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.FailedDependency, body);
        body.Should().Contain("actions=read");
    }

    [Test]
    public async Task GitHubNeverAnswering_IsA503ThatOrcaRetries_NotA500()
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings["GitHub:RequestTimeout"] = "00:00:02";
        await scenario.StartServiceAsync();
        scenario.GitHub.Faults.HangNext("GET", "/repos/acme/api/actions/workflows", TimeSpan.FromSeconds(30), times: 10);

        using var response = await scenario.Client.GetAsync($"jobs/{GitHubScenario.Master}/{Deploy}");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadAsStringAsync()).Should().Contain("did not answer").And.Contain("in time");
    }

    [Test]
    public async Task AppKeyRotatedOnGitHub_TheStageFailsAtOnce_NamingTheKey_AndHealthSaysDown()
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        using var other = RSA.Create(2048);
        scenario.Settings["GitHub:Masters:0:PrivateKey"] = other.ExportRSAPrivateKeyPem();
        await scenario.StartServiceAsync();
        var orca = new OrcaClient(scenario.Client, GitHubScenario.Master);

        var (status, body, tries) = await orca.StartAsOrcaAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" }, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
        using var health = await scenario.Client.GetAsync("health");

        status.Should().Be(HttpStatusCode.FailedDependency, body);
        tries.Should().Be(1);
        JsonNode.Parse(body)!["message"]!.GetValue<string>().Should().Contain("rejected the credentials").And.Contain("private key");
        health.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await health.Content.ReadAsStringAsync()).Should().Contain("DOWN").And.Contain("credentials");
        body.Should().NotContain("PRIVATE KEY");
    }

    [Test]
    public async Task InventedHttpMethods_AddNoMetricsSeries()
    {
        await using var scenario = await GitHubScenario.CreateAsync();
        for (var i = 0; i < 20; i++)
        {
            using var request = new HttpRequestMessage(new HttpMethod($"INVENTED{i}"), "masters");
            using var response = await scenario.Client.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        }

        var metrics = await scenario.Client.GetStringAsync("metrics");

        metrics.Should().NotContain("INVENTED").And.Contain("method=\"OTHER\"");
    }
}
