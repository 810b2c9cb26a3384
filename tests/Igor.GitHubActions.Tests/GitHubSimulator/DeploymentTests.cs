using System.Net;

namespace Igor.GitHubActions.Tests.GitHubSimulator;

public sealed class DeploymentTests
{
    private SimulatorHarness _h = null!;
    private string _token = null!;

    [SetUp]
    public async Task SetUp()
    {
        _h = await SimulatorHarness.StartAsync();
        _h.Repo.AddBranch("topic");
        _token = await _h.InstallationTokenAsync();
    }

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    private Task<HttpResponseMessage> Create(object body) => _h.SendAsync(HttpMethod.Post, "/repos/acme/api/deployments", _token, body);

    [Test]
    public async Task Deployment_CreatedByTheApp_IsPerformedViaTheApp()
    {
        using var response = await Create(new { @ref = "main", environment = "staging", auto_merge = false, required_contexts = Array.Empty<string>(), payload = new { spinnaker = new { execution = "01J" } }, description = "Deploy 1.2" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var json = await SimulatorHarness.ReadJsonAsync(response);
        json["sha"]!.GetValue<string>().Should().Be(_h.Repo.GetHeadSha("main"));
        json["ref"]!.GetValue<string>().Should().Be("main");
        json["task"]!.GetValue<string>().Should().Be("deploy");
        json["environment"]!.GetValue<string>().Should().Be("staging");
        json["production_environment"]!.GetValue<bool>().Should().BeFalse();
        json["payload"]!["spinnaker"]!["execution"]!.GetValue<string>().Should().Be("01J");
        json["creator"]!["login"]!.GetValue<string>().Should().Be("spinnaker-igor[bot]");
        json["performed_via_github_app"]!["slug"]!.GetValue<string>().Should().Be("spinnaker-igor");
        _h.Repo.Deployments.Should().ContainSingle().Which.PerformedViaApp.Should().BeSameAs(_h.App);
    }

    [Test]
    public async Task AutoMerge_NotGiven_DefaultsToTrue_Answers202ForANonDefaultRef()
    {
        using var response = await Create(new { @ref = "topic", required_contexts = Array.Empty<string>() });

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await SimulatorHarness.MessageAsync(response)).Should().Be("Auto-merged main into topic on deployment.");
        _h.Repo.Deployments.Should().BeEmpty();
    }

    [Test]
    public async Task Deployment_FailingCommitStatuses_IsBlockedUnlessContextsAreBypassed()
    {
        var sha = _h.Repo.GetHeadSha("main");
        using var status = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/statuses/{sha}", _token, new { state = "failure", context = "ci/build", description = "red" });

        using var blocked = await Create(new { @ref = "main", auto_merge = false });
        using var bypassed = await Create(new { @ref = "main", auto_merge = false, required_contexts = Array.Empty<string>() });

        status.StatusCode.Should().Be(HttpStatusCode.Created);
        _h.Repo.CommitStatuses.Should().ContainSingle().Which.Context.Should().Be("ci/build");
        blocked.StatusCode.Should().Be(HttpStatusCode.Conflict);
        bypassed.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Test]
    public async Task Deployment_UnknownRef_Is422()
    {
        using var response = await Create(new { @ref = "nope", auto_merge = false });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Test]
    public async Task Deployments_ListedWithFiltersOrGotById_AreFound()
    {
        var staging = _h.Repo.CreateDeployment("main", "staging");
        var production = _h.Repo.CreateDeployment("main", "production", task: "deploy:migrations");

        using var byEnvironment = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/deployments?environment=staging", _token);
        using var byTask = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/deployments?task=deploy:migrations", _token);
        using var all = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/deployments?sha={_h.Repo.GetHeadSha("main")}&ref=main", _token);
        using var single = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/deployments/{production.Id}", _token);

        (await SimulatorHarness.ReadJsonAsync(byEnvironment)).AsArray().Single()!["id"]!.GetValue<long>().Should().Be(staging.Id);
        (await SimulatorHarness.ReadJsonAsync(byTask)).AsArray().Single()!["id"]!.GetValue<long>().Should().Be(production.Id);
        (await SimulatorHarness.ReadJsonAsync(all)).AsArray().Select(d => d!["id"]!.GetValue<long>()).Should().Equal(production.Id, staging.Id);
        (await SimulatorHarness.ReadJsonAsync(single))["environment"]!.GetValue<string>().Should().Be("production");
    }

    [Test]
    public async Task DeploymentStatuses_Created_HaveALocationAndAreValidated()
    {
        var deployment = _h.Repo.CreateDeployment("main", "staging");
        var path = $"/repos/acme/api/deployments/{deployment.Id}/statuses";

        using var created = await _h.SendAsync(HttpMethod.Post, path, _token, new { state = "in_progress", log_url = "https://spinnaker/executions/1", description = "Running" });
        using var badState = await _h.SendAsync(HttpMethod.Post, path, _token, new { state = "bogus" });
        using var longDescription = await _h.SendAsync(HttpMethod.Post, path, _token, new { state = "success", description = new string('d', 141) });
        using var list = await _h.SendAsync(HttpMethod.Get, path, _token);

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var json = await SimulatorHarness.ReadJsonAsync(created);
        created.Headers.Location!.AbsoluteUri.Should().Be(json["url"]!.GetValue<string>());
        json["state"]!.GetValue<string>().Should().Be("in_progress");
        json["target_url"]!.GetValue<string>().Should().Be("https://spinnaker/executions/1");
        json["environment"]!.GetValue<string>().Should().Be("staging");
        badState.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        longDescription.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await SimulatorHarness.ReadJsonAsync(list)).AsArray().Should().ContainSingle();
        deployment.LatestState.Should().Be("in_progress");
    }

    [Test]
    public async Task DeploymentStatus_OnADeletedDeployment_Is404()
    {
        var deployment = _h.Repo.CreateDeployment("main", "staging");
        deployment.Delete();

        using var response = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/deployments/{deployment.Id}/statuses", _token, new { state = "success" });

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task DeploymentStatus_Success_MarksEarlierNonProductionDeploymentsInactive()
    {
        var first = _h.Repo.CreateDeployment("main", "staging");
        var second = _h.Repo.CreateDeployment("main", "staging");

        using var response = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/deployments/{second.Id}/statuses", _token, new { state = "success" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        first.LatestState.Should().Be("inactive");
        second.LatestState.Should().Be("success");
    }

    [Test]
    public async Task CombinedCommitStatus_Requested_ReportsTheLatestPerContext()
    {
        var sha = _h.Repo.GetHeadSha("main");
        using var pending = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/statuses/{sha}", _token, new { state = "pending", context = "spinnaker" });
        using var success = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/statuses/{sha}", _token, new { state = "success", context = "spinnaker", target_url = "https://spinnaker/x" });
        using var invalid = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/statuses/{sha}", _token, new { state = "done" });

        using var combined = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/commits/main/status", _token);

        invalid.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var json = await SimulatorHarness.ReadJsonAsync(combined);
        json["state"]!.GetValue<string>().Should().Be("success");
        json["total_count"]!.GetValue<int>().Should().Be(1);
    }
}
