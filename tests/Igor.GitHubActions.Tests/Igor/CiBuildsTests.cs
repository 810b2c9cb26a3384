using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Igor;

/// <summary>Deck's CI "Builds" tab through Gate (contract §5): the list, the running badge and the log output.</summary>
[CancelAfter(120_000)]
public sealed class CiBuildsTests : ScenarioTest
{
    private SimulatedRun _finished = null!;
    private SimulatedRun _running = null!;

    [SetUp]
    public void SetUpFixture()
    {
        _finished = Scenario.Api.GetWorkflow("build.yml").CreateRun();
        _finished.Start();
        _finished.AddJob("compile", "2026-11-24T10:00:00.0000000Z compiling\n2026-11-24T10:00:01.0000000Z \"quoted\" \\ back\n");
        _finished.AddJob("test", "2026-11-24T10:00:02.0000000Z ##[error]1 test failed\n", "failure");
        _finished.AddArtifact("app-bundle", Zips.Create(("app.tgz", "binary")));
        _finished.Complete("failure");
        _running = Scenario.Api.GetWorkflow("ci.yml").CreateRun();
        _running.Start();
        _running.AddJob("lint", "2026-11-24T10:00:00.0000000Z linting\n", conclusion: null);
    }

    [Test]
    public async Task CiBuilds_Repository_ListsRunsWithEveryFieldDeckReads()
    {
        var builds = JsonNode.Parse(await Scenario.Client.GetStringAsync("ci/builds?projectKey=acme&repoSlug=api"))!.AsArray();

        builds.Should().HaveCount(2);
        foreach (var build in builds.Select(b => b!.AsObject()))
        {
            build["id"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.String);
            build["properties"]!["startedTs"]!.GetValue<string>().Should().MatchRegex("^[0-9]+$");
            build["properties"]!["projectKey"]!.GetValue<string>().Should().Be("acme");
            build["properties"]!["repoSlug"]!.GetValue<string>().Should().Be("api");
            build["properties"]!["pullRequestNumber"]!.GetValue<string>().Should().BeEmpty();
            build["properties"]!["pullRequestUrl"]!.GetValue<string>().Should().BeEmpty();
            var scm = build["scm"]!.AsArray().Single()!;
            foreach (var key in new[] { "committer", "branch", "sha1", "compareUrl", "message" })
            {
                scm[key]!.GetValue<string>().Should().NotBeNull(key);
            }

            scm["compareUrl"]!.GetValue<string>().Should().EndWith("/acme/api/commit/" + scm["sha1"]!.GetValue<string>());
            build["artifacts"]!.AsArray().Should().NotBeNull();
            build["duration"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(0);
            build["fullDisplayName"]!.GetValue<string>().Should().NotBeEmpty();
            build["number"]!.GetValue<int>().Should().BePositive();
            build["url"]!.GetValue<string>().Should().EndWith("/");
        }

        var finished = builds.Single(b => b!["id"]!.GetValue<string>() == _finished.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
        finished["result"]!.GetValue<string>().Should().Be("FAILURE");
        finished["building"]!.GetValue<bool>().Should().BeFalse();
        finished["name"]!.GetValue<string>().Should().Be("acme/api/build.yml");
        finished["artifacts"]![0]!["fileName"]!.GetValue<string>().Should().Be("app-bundle");
        finished["artifacts"]![0]!["displayPath"]!.GetValue<string>().Should().StartWith("http");
        var running = builds.Single(b => b!["id"]!.GetValue<string>() == _running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
        running["result"]!.GetValue<string>().Should().Be("BUILDING");
        running["building"]!.GetValue<bool>().Should().BeTrue();
        running["artifacts"]!.AsArray().Should().BeEmpty();
    }

    [Test]
    public async Task CiBuilds_Incomplete_ListsOnlyRunningBuilds()
    {
        var builds = JsonNode.Parse(await Scenario.Client.GetStringAsync("ci/builds?projectKey=acme&repoSlug=api&completionStatus=INCOMPLETE"))!.AsArray();

        builds.Select(b => b!["id"]!.GetValue<string>()).Should().Equal(_running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task CiBuilds_BuildNumberAndCommit_Filter()
    {
        var byNumber = JsonNode.Parse(await Scenario.Client.GetStringAsync($"ci/builds?projectKey=acme&repoSlug=api&buildNumber={_finished.RunNumber}"))!.AsArray();
        var byCommit = JsonNode.Parse(await Scenario.Client.GetStringAsync($"ci/builds?projectKey=acme&repoSlug=api&commitId={_finished.HeadSha}"))!.AsArray();

        byNumber.Should().NotBeEmpty().And.OnlyContain(b => b!["number"]!.GetValue<int>() == _finished.RunNumber);
        byCommit.Should().NotBeEmpty().And.OnlyContain(b => b!["scm"]![0]!["sha1"]!.GetValue<string>() == _finished.HeadSha);
    }

    [Test]
    public async Task CiBuilds_RepositoryOfNoMaster_Answers404()
    {
        using var response = await Scenario.Client.GetAsync("ci/builds?projectKey=acme&repoSlug=secret");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Output_FinishedBuild_IsTheConcatenatedJobLogs()
    {
        using var response = await Scenario.Client.GetAsync($"ci/builds/{_finished.Id}/output");
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        var log = JsonNode.Parse(body)!["log"]!.GetValue<string>();
        log.Should().Contain("===== compile (success) =====").And.Contain("compiling").And.Contain("\"quoted\" \\ back");
        log.Should().Contain("===== test (failure) =====").And.Contain("##[error]1 test failed");
        log.IndexOf("compiling", StringComparison.Ordinal).Should().BeLessThan(log.IndexOf("1 test failed", StringComparison.Ordinal));
    }

    [Test]
    public async Task Output_TwoJobRun_GrowsJobByJobAndEveryAnswerStartsWithThePreviousOne()
    {
        var answers = new List<string>();
        async Task<JsonNode> PollAsync()
        {
            var body = JsonNode.Parse(await Scenario.Client.GetStringAsync($"ci/builds/{_running.Id}/output"))!;
            var log = body["log"]!.GetValue<string>();
            if (answers.Count > 0)
            {
                log.Should().StartWith(answers[^1], "Deck's text of a running build may only grow between polls");
            }

            answers.Add(log);
            return body;
        }

        var lint = _running.Jobs.Single();
        (await PollAsync())["log"]!.GetValue<string>().Should().BeEmpty("the only job is still running and GitHub has no log of it yet");
        answers[^1].Should().NotContain("linting");

        lint.Complete("success");
        var test = _running.AddJob("unit tests", "2026-11-24T10:01:00.0000000Z \u001b[32mall 12 passed\u001b[0m\n", conclusion: null);
        var afterFirst = await PollAsync();
        afterFirst["log"]!.GetValue<string>().Should().Contain("===== lint (success) =====").And.Contain("linting")
            .And.NotContain("unit tests", "a job's line changes when it ends, so a running job is not written yet");
        afterFirst["note"]!.GetValue<string>().Should().Contain("1 job(s) still to come");

        (await PollAsync())["log"]!.GetValue<string>().Should().Be(answers[^2], "nothing ended between these polls");

        test.Complete("success");
        _running.Complete("success");
        JsonNode final = null!;
        await Poll.UntilAsync(async () => (final = await PollAsync())["note"] is null); // the run's own status may be cached a moment longer than its jobs
        final["log"]!.GetValue<string>().Should().Contain("===== unit tests (success) =====").And.Contain("all 12 passed");
        answers.Should().HaveCountGreaterThan(3);
    }

    [Test]
    public async Task Output_RunningBuild_WithLiveOutputOff_IsEmptyWithANote()
    {
        _running.Jobs.Single().Complete("success");
        Scenario.Settings["Spinnaker:CiLiveOutput"] = "false";
        await Scenario.RestartServiceAsync();

        var body = JsonNode.Parse(await Scenario.Client.GetStringAsync($"ci/builds/{_running.Id}/output"))!;

        body["log"]!.GetValue<string>().Should().BeEmpty();
        body["note"]!.GetValue<string>().Should().Contain("Spinnaker:CiLiveOutput is off");
    }

    [Test]
    public async Task Output_AfterRestart_FindsTheRunByIdAlone()
    {
        await Scenario.RestartServiceAsync();

        var body = JsonNode.Parse(await Scenario.Client.GetStringAsync($"ci/builds/{_finished.Id}/output"))!;

        body["log"]!.GetValue<string>().Should().Contain("compiling");
    }
}
