using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Security;

/// <summary>RequireTeamWriteAccess (Armory's impersonateGitHubTeam): a dispatch only where every listed team may write.</summary>
[CancelAfter(120_000)]
public sealed class TeamWriteAccessTests : ScenarioTest
{
    private const string Deploy = "acme/api/deploy.yml";
    private OrcaClient _orca = null!;

    protected override bool StartsService => false;

    protected override Task ConfigureAsync(GitHubScenario scenario)
    {

        scenario.Settings["GitHub:Masters:0:RequireTeamWriteAccess:0"] = "acme/deployers";
        return Task.CompletedTask;
    }

    [TestCase("push")]
    [TestCase("maintain")]
    [TestCase("admin")]
    public async Task StartBuild_TeamCanWrite_Dispatches(string role)
    {
        Scenario.GitHub.AddTeam("acme", "deployers").Grant(Scenario.Api, role);
        await StartAsync();

        using var response = await _orca.StartAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Scenario.GitHub.Requests.Should().Contain(r => r.Method == "GET" && r.ApiPath == "/orgs/acme/teams/deployers/repos/acme/api");
        Scenario.Api.GetWorkflow("deploy.yml").Runs.Should().ContainSingle();
    }

    [TestCase("pull")]
    [TestCase("triage")]
    [TestCase(null)]
    public async Task StartBuild_TeamCannotWrite_Is403AndDispatchesNothing(string? role)
    {
        var team = Scenario.GitHub.AddTeam("acme", "deployers");
        if (role is not null)
        {
            team.Grant(Scenario.Api, role);
        }

        await StartAsync();

        using var response = await _orca.StartAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" });

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, body);
        JsonNode.Parse(body)!["message"]!.GetValue<string>().Should().Contain("acme/deployers").And.Contain("has no");
        Scenario.GitHub.Requests.Should().NotContain(r => r.Method == "POST" && r.ApiPath.Contains("/dispatches", StringComparison.Ordinal));
    }

    [Test]
    public async Task StartBuild_SecondTeamCannotWrite_Is403NamingIt()
    {
        Scenario.Settings["GitHub:Masters:0:RequireTeamWriteAccess:1"] = "acme/auditors";
        Scenario.GitHub.AddTeam("acme", "deployers").Grant(Scenario.Api, "push");
        Scenario.GitHub.AddTeam("acme", "auditors").Grant(Scenario.Web, "push");
        await StartAsync();

        using var response = await _orca.StartAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("acme/auditors");
    }

    [Test]
    public void Validate_TeamNotOrgSlash_Fails()
    {
        var master = new MasterOptions { Name = "gha", Token = "ghp_example", Repositories = ["acme/api"], RequireTeamWriteAccess = ["deployers", "acme/../x"] };

        var result = new MasterRulesValidator().Validate(null, new GitHubOptions { Masters = [master] });

        result.Failures.Should().HaveCount(2).And.AllSatisfy(f => f.Should().Contain("is not org/team-slug"));
    }

    [Test]
    public async Task StartBuild_AnswerWithoutPermissions_FailsClosed()
    {
        // A 200 that does not show push, maintain or admin is no write access, whatever else it says.
        Scenario.GitHub.AddTeam("acme", "deployers").Grant(Scenario.Api, "admin");
        Scenario.GitHub.Faults.Add(new global::Igor.GitHubActions.Testing.Fault
        {
            Method = "GET", PathPrefix = "/orgs/acme/teams/deployers/repos/acme/api", ExactPath = true, Times = 10, StatusCode = 200,
            Body = """{"id":1,"name":"api","full_name":"acme/api"}""",
        });
        await StartAsync();

        using var response = await _orca.StartAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, await response.Content.ReadAsStringAsync());
        Scenario.Api.GetWorkflow("deploy.yml").Runs.Should().BeEmpty();
    }

    private async Task StartAsync()
    {
        await Scenario.StartServiceAsync();
        _orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);
    }
}
