using System.Net;

namespace Igor.GitHubActions.Tests.GitHubSimulator;

public sealed class RepositoryDispatchTests
{
    private SimulatorHarness _h = null!;
    private string _token = null!;

    [SetUp]
    public async Task SetUp()
    {
        _h = await SimulatorHarness.StartAsync();
        _h.Repo.AddWorkflow("any.yml", "name: Any\nrun-name: Any ${{ github.event.client_payload.distinct_id }} (${{ github.event.action }})\non: repository_dispatch\njobs: {}\n");
        _h.Repo.AddWorkflow("typed.yml", "name: Typed\non:\n  repository_dispatch:\n    types: [deploy]\njobs: {}\n");
        _h.Repo.AddWorkflow("push.yml", "name: Push\non: push\njobs: {}\n");
        _token = await _h.InstallationTokenAsync();
    }

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    [Test]
    public async Task RepositoryDispatch_Valid_CreatesARunPerMatchingWorkflowOnTheDefaultBranch()
    {
        using var deploy = await _h.SendAsync(HttpMethod.Post, "/repos/acme/api/dispatches", _token, new { event_type = "deploy", client_payload = new { distinct_id = "d-1" } });
        using var other = await _h.SendAsync(HttpMethod.Post, "/repos/acme/api/dispatches", _token, new { event_type = "other" });

        deploy.StatusCode.Should().Be(HttpStatusCode.NoContent);
        other.StatusCode.Should().Be(HttpStatusCode.NoContent);
        _h.Repo.GetWorkflow("typed.yml").Runs.Should().ContainSingle();
        var anyRuns = _h.Repo.GetWorkflow("any.yml").Runs;
        anyRuns.Select(r => r.DisplayTitle).Should().Equal("Any d-1 (deploy)", "Any  (other)");
        anyRuns.Should().OnlyContain(r => r.Event == "repository_dispatch" && r.HeadBranch == "main");
        anyRuns[0].ClientPayloadJson.Should().Be("{\"distinct_id\":\"d-1\"}");
        _h.Repo.GetWorkflow("push.yml").Runs.Should().BeEmpty();
    }

    [Test]
    public async Task RepositoryDispatch_MoreThanTenPayloadProperties_IsRejected()
    {
        var payload = Enumerable.Range(0, 11).ToDictionary(i => $"k{i}", i => i);

        using var response = await _h.SendAsync(HttpMethod.Post, "/repos/acme/api/dispatches", _token, new { event_type = "deploy", client_payload = payload });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await SimulatorHarness.MessageAsync(response)).Should().Be("No more than 10 properties are allowed; 11 were supplied.");
        _h.Repo.Runs.Should().BeEmpty();
    }

    [Test]
    public async Task RepositoryDispatch_PayloadOf64Kb_IsRejected()
    {
        using var response = await _h.SendAsync(HttpMethod.Post, "/repos/acme/api/dispatches", _token, new { event_type = "deploy", client_payload = new { blob = new string('x', 70_000) } });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await SimulatorHarness.MessageAsync(response)).Should().Be("client_payload is too large");
    }

    [TestCase("{}")]
    [TestCase("{\"event_type\":\"\"}")]
    public async Task RepositoryDispatch_MissingOrEmptyEventType_IsRejected(string body)
    {
        using var response = await _h.SendAsync(HttpMethod.Post, "/repos/acme/api/dispatches", _token, body);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Test]
    public async Task RepositoryDispatch_EventTypeOver100Characters_IsRejected()
    {
        using var response = await _h.SendAsync(HttpMethod.Post, "/repos/acme/api/dispatches", _token, new { event_type = new string('e', 101) });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await SimulatorHarness.MessageAsync(response)).Should().Contain("too long");
    }
}
