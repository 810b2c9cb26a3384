using System.Net;
using System.Text;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Stages;

/// <summary>The custom stages refuse bad input (400 naming the field, 403 outside the allowlist) before GitHub is asked; these tests only read, so one service serves the fixture.</summary>
[CancelAfter(120_000)]
public sealed class CustomStageInputTests : ScenarioTest
{
    protected override bool SharedByFixture => true;

    private readonly string _executionId = "01JSTAGEINPUT" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    [TestCase("githubRunWorkflow", "job", "acme/api", "job")]
    [TestCase("githubRunWorkflow", "inputs", "[1]", "inputs")]
    [TestCase("githubCreateDeployment", "repository", "acme", "repository")]
    [TestCase("githubCreateDeployment", "environment", "", "environment")]
    [TestCase("githubSetDeploymentStatus", "deploymentId", "abc", "deploymentId")]
    [TestCase("githubSetDeploymentStatus", "state", "done", "state")]
    [TestCase("githubSetDeploymentStatus", "logUrl", "not a url", "logUrl")]
    [TestCase("githubSetCommitStatus", "sha", "main", "sha")]
    [TestCase("githubSetCommitStatus", "state", "in_progress", "state")]
    public async Task BadInput_Answers400NamingTheField(string type, string parameter, string value, string field)
    {
        var values = OrcaWebhookStage.Values(("repository", "acme/api"), ("job", "acme/api/deploy.yml"), ("deploymentId", "1"), ("sha", new string('a', 40)), ("ref", "main"), ("environment", "x"), (parameter, value));

        var (response, body) = await OrcaWebhookStage.Sample(type, Scenario.Client).CreateAsync(values, _executionId);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body?.ToJsonString());
        body!["message"]!.GetValue<string>().Should().StartWith(field + ":");
    }
    [Test]
    public async Task DescriptionOver140Characters_Answers400()
    {
        var (response, body) = await OrcaWebhookStage.Sample("githubSetDeploymentStatus", Scenario.Client).CreateAsync(
            OrcaWebhookStage.Values(("repository", "acme/api"), ("deploymentId", "1"), ("description", new string('d', 141))), _executionId);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body!["message"]!.GetValue<string>().Should().StartWith("description:");
    }
    [TestCase("githubCreateDeployment")]
    [TestCase("githubSetCommitStatus")]
    [TestCase("githubRunWorkflow")]
    public async Task RepositoryOutsideTheAllowlist_IsRefused(string type)
    {
        var (response, body) = await OrcaWebhookStage.Sample(type, Scenario.Client).CreateAsync(
            OrcaWebhookStage.Values(("repository", "other/repo"), ("job", "other/repo/deploy.yml"), ("sha", new string('a', 40))), _executionId);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, body?.ToJsonString());
        body!["message"]!.GetValue<string>().Should().Contain("other/repo").And.Contain("allowlist");
        Scenario.GitHub.Requests.Should().NotContain(r => r.ApiPath.StartsWith("/repos/other/", StringComparison.Ordinal));
    }
    [Test]
    public async Task MalformedJson_Answers400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "stages/deployments") { Content = new StringContent("{\"repository\": ", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Igor-Stages-Secret", GitHubScenario.StagesSecret);
        using var response = await Scenario.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
