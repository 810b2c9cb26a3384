using System.Text.Json.Nodes;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Deployments;

/// <summary>The state mapping, auto_inactive and the environment URL name come from configuration, checked at start.</summary>
[CancelAfter(120_000)]
public sealed class DeploymentStatusConfigurationTests
{
    [Test]
    public async Task ConfiguredMapping_NoStartStateAndCanceledAsFailure_WritesOnlyTheMappedState()
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings["Deployments:States:Starting"] = "";
        scenario.Settings["Deployments:States:Canceled"] = "failure";
        scenario.Settings["Deployments:AutoInactive"] = "false";
        scenario.Settings["Deployments:EnvironmentUrlName"] = "app_url";
        await scenario.StartServiceAsync();
        var deployment = scenario.Api.CreateDeployment("main", "production");
        var events = new EchoEvents(scenario.Client)
        {
            TriggerPayload = EchoEvents.DeploymentPayload(deployment.Id),
            Parameters = new JsonObject { ["app_url"] = "https://app.example.com" },
        };

        using var starting = await events.StartingAsync();
        using var canceled = await events.FailedAsync("CANCELED");
        var sent = await scenario.GitHub.WaitForRequestAsync(
            r => r.Method == "POST" && r.ApiPath.EndsWith($"/deployments/{deployment.Id}/statuses", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        var body = JsonNode.Parse(sent.Body)!;
        body["state"]!.GetValue<string>().Should().Be("failure");
        body["auto_inactive"]!.GetValue<bool>().Should().BeFalse();
        body["environment_url"]!.GetValue<string>().Should().Be("https://app.example.com");
        body.AsObject().ContainsKey("log_url").Should().BeFalse("Spinnaker:DeckUrl is not set");
        deployment.Statuses.Select(s => s.State).Should().Equal("failure");
    }

    [TestCase("Deployments:States:Succeeded", "done")]
    [TestCase("Spinnaker:DeckUrl", "not-a-url")]
    public async Task BadSetting_StopsTheServiceAtStart(string key, string value)
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings[key] = value;

        var start = () => scenario.StartServiceAsync();

        await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>();
    }
}
