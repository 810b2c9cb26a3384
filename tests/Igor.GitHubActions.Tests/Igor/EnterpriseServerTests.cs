using System.Net;
using Igor.GitHubActions.Testing;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Igor;

/// <summary>
/// A master on GitHub Enterprise Server 3.20: the REST API only under <c>/api/v3</c> (the root is the web UI), no run id
/// in the dispatch answer. Orca's whole Jenkins stage works against it: start, wait, result, properties, log page, stop.
/// </summary>
[CancelAfter(120_000)]
public sealed class EnterpriseServerTests : ScenarioTest
{
    private const string Deploy = "acme/api/deploy.yml";
    private OrcaClient _orca = null!;

    protected override GitHubSimulatorOptions? SimulatorOptions => new GitHubSimulatorOptions { EnterpriseOnly = true, RunDetails = DispatchRunDetailsSupport.RejectedWith400 };

    protected override Task ConfigureAsync(GitHubScenario scenario)
    {
        scenario.Settings["GitHub:Masters:0:ApiUrl"] = scenario.GitHub.EnterpriseApiUrl.ToString();
        return Task.CompletedTask;
    }

    [SetUp]
    public void SetUpFixture()
    {
        _orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);
    }

    [Test]
    public async Task JenkinsStage_OnGhes_StartsWaitsReadsPropertiesAndLogs_AllUnderApiV3()
    {
        var number = await _orca.WaitForBuildNumberAsync(await _orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "1.2.3" }));
        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Single();
        run.Inputs["version"].Should().Be("1.2.3");
        run.AddJob("deploy", "2026-11-24T10:00:01.0000000Z SPINNAKER_PROPERTY_IMAGE_TAG=1.2.3\n");
        run.Start();
        run.Complete("success");

        await Poll.UntilAsync(async () => (await _orca.StatusJsonAsync(Deploy, number))["result"]?.GetValue<string>() == "SUCCESS");
        var properties = await Scenario.Client.GetStringAsync(
            $"builds/properties/{number}/build.properties/{GitHubScenario.Master}?job={OrcaClient.QueryForm(Deploy)}");
        using var page = await Scenario.Client.GetAsync($"logs/{GitHubScenario.Master}/acme/api/{run.Id}");

        properties.Should().Contain("\"image_tag\":\"1.2.3\"");
        page.StatusCode.Should().Be(HttpStatusCode.OK, await page.Content.ReadAsStringAsync());
        Scenario.GitHub.Requests.Where(r => !r.Path.StartsWith("/_blobs/", StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(r => r.Path.StartsWith("/api/v3/", StringComparison.Ordinal), "GHES serves its API under /api/v3 only");
        Scenario.GitHub.Requests.Should().NotContain(r => r.StatusCode == 404 && !r.Path.StartsWith("/api/v3/", StringComparison.Ordinal));
    }
}
