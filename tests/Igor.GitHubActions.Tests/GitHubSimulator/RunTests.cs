using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing;

namespace Igor.GitHubActions.Tests.GitHubSimulator;

public sealed class RunTests
{
    private SimulatorHarness _h = null!;
    private string _token = null!;
    private SimulatedWorkflow _deploy = null!;
    private SimulatedWorkflow _ci = null!;

    [SetUp]
    public async Task SetUp()
    {
        _h = await SimulatorHarness.StartAsync();
        _deploy = _h.Repo.AddWorkflow("deploy.yml", "name: Deploy\non: workflow_dispatch\njobs: {}\n");
        _ci = _h.Repo.AddWorkflow("ci.yml", "name: CI\non: push\njobs: {}\n");
        _h.Repo.AddBranch("feature");
        _token = await _h.InstallationTokenAsync();
    }

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    private async Task<JsonNode> GetJson(string path)
    {
        using var response = await _h.SendAsync(HttpMethod.Get, path, _token);
        response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        return await SimulatorHarness.ReadJsonAsync(response);
    }

    private static List<long> Ids(JsonNode list) => list["workflow_runs"]!.AsArray().Select(r => r!["id"]!.GetValue<long>()).ToList();

    [Test]
    public async Task Runs_ListedWithFilters_AreNewestFirst()
    {
        var push = _ci.CreateRun("push", "feature", "Fix bug");
        _h.Time.Advance(TimeSpan.FromMinutes(5));
        var dispatched = _deploy.CreateRun("workflow_dispatch");
        _h.Time.Advance(TimeSpan.FromMinutes(5));
        var done = _ci.CreateRun();
        done.Complete("failure");

        Ids(await GetJson("/repos/acme/api/actions/runs")).Should().Equal(done.Id, dispatched.Id, push.Id);
        Ids(await GetJson("/repos/acme/api/actions/runs?event=workflow_dispatch")).Should().Equal(dispatched.Id);
        Ids(await GetJson("/repos/acme/api/actions/runs?branch=feature")).Should().Equal(push.Id);
        Ids(await GetJson("/repos/acme/api/actions/runs?status=failure")).Should().Equal(done.Id);
        Ids(await GetJson("/repos/acme/api/actions/runs?status=queued")).Should().Equal(dispatched.Id, push.Id);
        Ids(await GetJson($"/repos/acme/api/actions/runs?head_sha={push.HeadSha}")).Should().Equal(push.Id);
        Ids(await GetJson("/repos/acme/api/actions/runs?created=%3E%3D2026-11-24T10:05:00Z")).Should().Equal(done.Id, dispatched.Id);
        Ids(await GetJson("/repos/acme/api/actions/runs?created=2026-11-24T10:00:00Z..2026-11-24T10:06:00Z")).Should().Equal(dispatched.Id, push.Id);
        Ids(await GetJson("/repos/acme/api/actions/runs?created=%3C2026-11-24T10:05:00Z")).Should().Equal(push.Id);
        Ids(await GetJson("/repos/acme/api/actions/workflows/ci.yml/runs")).Should().Equal(done.Id, push.Id);
        var byId = await GetJson($"/repos/acme/api/actions/workflows/{_deploy.Id}/runs");
        byId["total_count"]!.GetValue<int>().Should().Be(1);
    }

    [Test]
    public async Task Runs_Paged_CapPerPageAt100_WithALinkHeader()
    {
        for (var i = 0; i < 105; i++)
        {
            _ci.CreateRun();
        }

        using var first = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/actions/runs?per_page=500", _token);
        var page3 = await GetJson("/repos/acme/api/actions/runs?per_page=50&page=3");

        var body = await SimulatorHarness.ReadJsonAsync(first);
        body["total_count"]!.GetValue<int>().Should().Be(105);
        body["workflow_runs"]!.AsArray().Should().HaveCount(100);
        first.Headers.GetValues("Link").Single().Should().Contain("page=2").And.Contain("rel=\"next\"").And.Contain("rel=\"last\"");
        page3["workflow_runs"]!.AsArray().Should().HaveCount(5);
        (await GetJson("/repos/acme/api/actions/runs"))["workflow_runs"]!.AsArray().Should().HaveCount(30);
        _ci.Runs.Select(r => r.RunNumber).Should().Equal(Enumerable.Range(1, 105));
    }

    [Test]
    public async Task Run_Read_HasGitHubsFields()
    {
        var run = _deploy.CreateRun("workflow_dispatch", "feature", "Deploy [x]");

        var json = await GetJson($"/repos/acme/api/actions/runs/{run.Id}");

        json["id"]!.GetValue<long>().Should().Be(run.Id);
        json["name"]!.GetValue<string>().Should().Be("Deploy");
        json["display_title"]!.GetValue<string>().Should().Be("Deploy [x]");
        json["path"]!.GetValue<string>().Should().Be(".github/workflows/deploy.yml");
        json["head_branch"]!.GetValue<string>().Should().Be("feature");
        json["status"]!.GetValue<string>().Should().Be("queued");
        json["conclusion"].Should().BeNull();
        json["workflow_id"]!.GetValue<long>().Should().Be(_deploy.Id);
        json["run_number"]!.GetValue<int>().Should().Be(1);
        json["run_attempt"]!.GetValue<int>().Should().Be(1);
        json["created_at"]!.GetValue<string>().Should().Be("2026-11-24T10:00:00Z");
        json["previous_attempt_url"].Should().BeNull();
        json["jobs_url"]!.GetValue<string>().Should().EndWith($"/repos/acme/api/actions/runs/{run.Id}/jobs");
        json["head_commit"]!["id"]!.GetValue<string>().Should().Be(run.HeadSha);
        json["repository"]!["full_name"]!.GetValue<string>().Should().Be("acme/api");
        json["pull_requests"]!.AsArray().Should().BeEmpty();
    }

    [Test]
    public async Task Run_ReadWithItsETag_Is304WithoutRateLimitCost()
    {
        var run = _ci.CreateRun();
        using var first = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/actions/runs/{run.Id}", _token);
        var etag = first.Headers.ETag!.ToString();
        var remaining = int.Parse(first.Headers.GetValues("x-ratelimit-remaining").Single(), System.Globalization.CultureInfo.InvariantCulture);

        using var notModified = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/actions/runs/{run.Id}", _token, configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
        run.Start();
        using var modified = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/actions/runs/{run.Id}", _token, configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));

        notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await notModified.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        notModified.Headers.GetValues("x-ratelimit-remaining").Single().Should().Be(remaining.ToString(System.Globalization.CultureInfo.InvariantCulture));
        modified.StatusCode.Should().Be(HttpStatusCode.OK);
        modified.Headers.GetValues("x-ratelimit-remaining").Single().Should().Be((remaining - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task Cancel_OfARunningRun_IsAccepted_CompletesCancelledAMomentLater_ASecondIsRefused()
    {
        var run = _deploy.CreateRun("workflow_dispatch");
        run.Start();

        using var cancel = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/actions/runs/{run.Id}/cancel", _token);
        var statusRightAfter = run.Status;
        _h.Time.Advance(_h.Sim.Options.CancellationDelay);
        using var again = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/actions/runs/{run.Id}/cancel", _token);

        cancel.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await cancel.Content.ReadAsStringAsync()).Should().Be("{}");
        run.CancelRequested.Should().BeTrue();
        statusRightAfter.Should().Be("in_progress", "GitHub stops the jobs after answering");
        run.Status.Should().Be("completed");
        run.Conclusion.Should().Be("cancelled");
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await SimulatorHarness.MessageAsync(again)).Should().Be("Cannot cancel a workflow run that is completed.");
    }

    [Test]
    public async Task Cancel_OfAnAlwaysJob_IsIgnoredUntilForceCancel()
    {
        var run = _deploy.CreateRun("workflow_dispatch");
        run.Start();
        run.IgnoreCancel = true;

        using var cancel = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/actions/runs/{run.Id}/cancel", _token);
        var statusAfterCancel = run.Status;
        using var force = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/actions/runs/{run.Id}/force-cancel", _token);

        cancel.StatusCode.Should().Be(HttpStatusCode.Accepted);
        statusAfterCancel.Should().Be("in_progress");
        force.StatusCode.Should().Be(HttpStatusCode.Accepted);
        run.ForceCancelRequested.Should().BeTrue();
        run.Conclusion.Should().Be("cancelled");
    }

    [Test]
    public async Task Rerun_Requested_StartsANewAttempt_KeepsThePreviousOne()
    {
        var run = _deploy.CreateRun("workflow_dispatch");
        run.Start();
        run.Complete("failure");
        _h.Time.Advance(TimeSpan.FromMinutes(1));

        using var rerun = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/actions/runs/{run.Id}/rerun", _token);

        rerun.StatusCode.Should().Be(HttpStatusCode.Created);
        run.RunAttempt.Should().Be(2);
        run.Status.Should().Be("queued");
        var current = await GetJson($"/repos/acme/api/actions/runs/{run.Id}");
        current["run_attempt"]!.GetValue<int>().Should().Be(2);
        current["conclusion"].Should().BeNull();
        current["run_started_at"]!.GetValue<string>().Should().Be("2026-11-24T10:01:00Z");
        current["previous_attempt_url"]!.GetValue<string>().Should().EndWith($"/actions/runs/{run.Id}/attempts/1");
        var first = await GetJson($"/repos/acme/api/actions/runs/{run.Id}/attempts/1");
        first["conclusion"]!.GetValue<string>().Should().Be("failure");
        first["run_attempt"]!.GetValue<int>().Should().Be(1);
    }

    [Test]
    public async Task Run_AnyConclusionString_IsServed_WaitForStatusCompletes()
    {
        var run = _ci.CreateRun();
        var waiting = run.WaitForStatusAsync("completed", TimeSpan.FromSeconds(10));

        run.SetStatus("waiting");
        var waitingJson = await GetJson($"/repos/acme/api/actions/runs/{run.Id}");
        run.Complete("some_future_value");
        await waiting;

        waitingJson["status"]!.GetValue<string>().Should().Be("waiting");
        (await GetJson($"/repos/acme/api/actions/runs/{run.Id}"))["conclusion"]!.GetValue<string>().Should().Be("some_future_value");
    }

    [Test]
    public async Task Run_UnknownOrOfAnotherRepository_Is404()
    {
        var otherRepo = _h.Sim.AddRepository("acme", "other");
        var otherRun = otherRepo.AddWorkflow("x.yml", "on: push\njobs: {}\n").CreateRun();

        using var unknown = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/actions/runs/15000000999", _token);
        using var foreign = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/actions/runs/{otherRun.Id}", _token);

        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        foreign.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task VisibilityDelay_Set_HidesNewRunsFromListsButNotFromGet()
    {
        _h.Sim.Options.RunListVisibilityDelay = TimeSpan.FromSeconds(5);
        var run = _ci.CreateRun();

        var hidden = await GetJson("/repos/acme/api/actions/runs");
        using var direct = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/actions/runs/{run.Id}", _token);
        _h.Time.Advance(TimeSpan.FromSeconds(5));
        var visible = await GetJson("/repos/acme/api/actions/runs");

        hidden["total_count"]!.GetValue<int>().Should().Be(0);
        direct.StatusCode.Should().Be(HttpStatusCode.OK);
        Ids(visible).Should().Equal(run.Id);
    }
}
