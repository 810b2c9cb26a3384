using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Security;

/// <summary>RequireTeamWriteAccess (Armory's impersonateGitHubTeam): a dispatch only where every listed team may write.</summary>
[CancelAfter(120_000)]
public sealed class TeamWriteAccessTests
{
    private const string Deploy = "acme/api/deploy.yml";
    private GitHubScenario _scenario = null!;
    private OrcaClient _orca = null!;

    [SetUp]
    public async Task SetUp()
    {
        _scenario = await GitHubScenario.CreateAsync(start: false);
        _scenario.Settings["GitHub:Masters:0:RequireTeamWriteAccess:0"] = "acme/deployers";
    }

    [TearDown]
    public async Task TearDown() => await _scenario.DisposeAsync();

    [TestCase("push")]
    [TestCase("maintain")]
    [TestCase("admin")]
    public async Task StartBuild_TeamCanWrite_Dispatches(string role)
    {
        _scenario.GitHub.AddTeam("acme", "deployers").Grant(_scenario.Api, role);
        await StartAsync();

        using var response = await _orca.StartAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        _scenario.GitHub.Requests.Should().Contain(r => r.Method == "GET" && r.ApiPath == "/orgs/acme/teams/deployers/repos/acme/api");
        _scenario.Api.GetWorkflow("deploy.yml").Runs.Should().ContainSingle();
    }

    [TestCase("pull")]
    [TestCase("triage")]
    [TestCase(null)]
    public async Task StartBuild_TeamCannotWrite_Is403AndDispatchesNothing(string? role)
    {
        var team = _scenario.GitHub.AddTeam("acme", "deployers");
        if (role is not null)
        {
            team.Grant(_scenario.Api, role);
        }

        await StartAsync();

        using var response = await _orca.StartAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" });

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, body);
        JsonNode.Parse(body)!["message"]!.GetValue<string>().Should().Contain("acme/deployers").And.Contain("has no");
        _scenario.GitHub.Requests.Should().NotContain(r => r.Method == "POST" && r.ApiPath.Contains("/dispatches", StringComparison.Ordinal));
    }

    [Test]
    public async Task StartBuild_SecondTeamCannotWrite_Is403NamingIt()
    {
        _scenario.Settings["GitHub:Masters:0:RequireTeamWriteAccess:1"] = "acme/auditors";
        _scenario.GitHub.AddTeam("acme", "deployers").Grant(_scenario.Api, "push");
        _scenario.GitHub.AddTeam("acme", "auditors").Grant(_scenario.Web, "push");
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
        _scenario.GitHub.AddTeam("acme", "deployers").Grant(_scenario.Api, "admin");
        _scenario.GitHub.Faults.Add(new global::Igor.GitHubActions.Testing.Fault
        {
            Method = "GET", PathPrefix = "/orgs/acme/teams/deployers/repos/acme/api", ExactPath = true, Times = 10, StatusCode = 200,
            Body = """{"id":1,"name":"api","full_name":"acme/api"}""",
        });
        await StartAsync();

        using var response = await _orca.StartAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, await response.Content.ReadAsStringAsync());
        _scenario.Api.GetWorkflow("deploy.yml").Runs.Should().BeEmpty();
    }

    private async Task StartAsync()
    {
        await _scenario.StartServiceAsync();
        _orca = new OrcaClient(_scenario.Client, GitHubScenario.Master);
    }
}
