using System.Net;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Dispatch;

/// <summary>
/// One stage, one run, whatever fails in between: GitHub carrying out a dispatch and then answering 502 or never
/// answering, the dispatch never arriving, Orca's client giving up at 2 s and retrying. Each test counts the runs GitHub
/// has and the POSTs it received, and follows the stage to its run or to a refusal with a message.
/// </summary>
[CancelAfter(120_000)]
public sealed class ExactlyOnceTests : ScenarioTest
{
    private const string Deploy = "acme/api/deploy.yml";
    private const string Build = "acme/api/build.yml";
    private const string DeployDispatches = "/repos/acme/api/actions/workflows/deploy.yml/dispatches";
    private const string BuildDispatches = "/repos/acme/api/actions/workflows/build.yml/dispatches";

    protected override Task ConfigureAsync(GitHubScenario scenario)
    {
        scenario.Settings["GitHub:RequestTimeout"] = "00:00:02";
        scenario.Settings["GitHub:DispatchRecoveryGrace"] = "00:00:01";
        return Task.CompletedTask;
    }

    [TestCase(502)]
    [TestCase(504)]
    public async Task DispatchCarriedOutThenAnsweredWithAnError_StageFollowsTheOneRun(int status)
    {
        var orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);
        Scenario.GitHub.Faults.FailAfterNext("POST", DeployDispatches, status);

        var (answer, body, _) = await orca.StartAsOrcaAsync(Deploy, Version(), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

        answer.Should().Be(HttpStatusCode.OK, body);
        var number = await orca.WaitForBuildNumberAsync(body);
        Scenario.Api.GetWorkflow("deploy.yml").Runs.Should().ContainSingle().Which.RunNumber.Should().Be(number);
        Posts(DeployDispatches).Should().Be(1, "an unknown outcome is resolved by finding the run, never by sending again");
    }

    [Test]
    public async Task DispatchCarriedOutThenNeverAnswered_OrcaTimesOutAt2sAndRetries_OneRun()
    {
        // GitHub calls may take 3 s here, so Orca's client (2 s) gives up on the first PUT while the POST is still out.
        Scenario.Settings["GitHub:RequestTimeout"] = "00:00:06";
        await Scenario.RestartServiceAsync();
        var orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);
        Scenario.GitHub.Faults.HangAfterNext("POST", DeployDispatches, TimeSpan.FromSeconds(20));

        var (answer, body, tries) = await orca.StartAsOrcaAsync(Deploy, Version(), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(40));

        answer.Should().Be(HttpStatusCode.OK, body);
        tries.Should().BeGreaterThan(1, "the first PUT outlived Orca's 2 s client timeout");
        var number = await orca.WaitForBuildNumberAsync(body);
        Scenario.Api.GetWorkflow("deploy.yml").Runs.Should().ContainSingle().Which.RunNumber.Should().Be(number);
        Posts(DeployDispatches).Should().Be(1);
    }

    [Test]
    public async Task DispatchThatNeverReachedGitHub_IsSentAgainOnlyAfterTheGrace_OneRun()
    {
        var orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);
        Scenario.GitHub.Faults.FailNext("POST", DeployDispatches, 1, 502);

        var queueId = await orca.StartOkAsync(Deploy, Version());
        var number = await orca.WaitForBuildNumberAsync(queueId);

        var run = Scenario.Api.GetWorkflow("deploy.yml").Runs.Should().ContainSingle().Subject;
        run.RunNumber.Should().Be(number);
        var posts = Scenario.GitHub.Requests.Where(r => r.Method == "POST" && r.Path == DeployDispatches).ToArray();
        posts.Should().HaveCount(2, "the first POST was refused before GitHub acted on it");
        // The grace counts from the attempt's start, written before the first POST leaves, so GitHub records that POST
        // a few milliseconds into the grace: the second may arrive that much less than a grace after the first.
        (posts[1].At - posts[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(100), "it is sent again only once GitHub has shown no run for the grace period");
    }

    [Test]
    public async Task WorkflowWithoutRunName_LostAnswer_TheOneRunOfTheAppsBotIsAdopted()
    {
        var orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);

        // Someone else's dispatch of the same workflow at the same time must not be taken for ours.
        Scenario.Api.GetWorkflow("build.yml").CreateRun("workflow_dispatch");
        Scenario.GitHub.Faults.FailAfterNext("POST", BuildDispatches, 502);

        var queueId = await orca.StartOkAsync(Build);
        var number = await orca.WaitForBuildNumberAsync(queueId);

        var runs = Scenario.Api.GetWorkflow("build.yml").Runs;
        runs.Should().HaveCount(2);
        var ours = runs.Single(r => r.Actor.Login == Scenario.App.Bot.Login);
        number.Should().Be(ours.RunNumber);
        Posts(BuildDispatches).Should().Be(1);
    }

    [Test]
    public async Task WorkflowWithoutRunName_TwoLostAnswersAtOnce_BothStagesFailWithTheCandidatesListed()
    {
        var first = new OrcaClient(Scenario.Client, GitHubScenario.Master);
        var second = new OrcaClient(Scenario.Client, GitHubScenario.Master);
        Scenario.GitHub.Faults.FailAfterNext("POST", BuildDispatches, 502, times: 2);

        var ids = await Task.WhenAll(first.StartOkAsync(Build), second.StartOkAsync(Build));

        foreach (var (orca, id) in new[] { (first, ids[0]), (second, ids[1]) })
        {
            using var answer = await PollQueueUntilSettledAsync(orca, id);
            var text = await answer.Content.ReadAsStringAsync();
            answer.StatusCode.Should().Be(HttpStatusCode.Gone, text);
            text.Should().Contain("does not guess").And.Contain("run-name");
            foreach (var run in Scenario.Api.GetWorkflow("build.yml").Runs)
            {
                text.Should().Contain($"/actions/runs/{run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}", "the message lists every run it could be");
            }
        }

        Scenario.Api.GetWorkflow("build.yml").Runs.Should().HaveCount(2, "nothing was sent again");
    }

    [Test]
    public async Task StopBeforeTheDispatchIsSent_NothingIsEverSent()
    {
        var orca = new OrcaClient(Scenario.Client, GitHubScenario.Master);
        Scenario.GitHub.Faults.HangNext("GET", "/repos/acme/api/contents/.github/workflows/deploy.yml", TimeSpan.FromSeconds(3));
        var start = orca.StartAsOrcaAsync(Deploy, Version(), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(() => Scenario.GitHub.Faults.Active.Count == 0);

        // Orca has no queue id yet; the stop names the queue id the service filed the start under.
        var items = (global::Igor.GitHubActions.Igor.Queue.IQueueItems)Scenario.Service!.Services.GetService(typeof(global::Igor.GitHubActions.Igor.Queue.IQueueItems))!;
        var queueId = (await items.ListOpenAsync(GitHubScenario.Master, CancellationToken.None)).Single().Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var stop = await orca.StopAsync(Deploy, queueId, 0);
        stop.StatusCode.Should().Be(HttpStatusCode.OK);
        var (answer, body, _) = await start;

        answer.Should().Be(HttpStatusCode.Gone, body);
        body.Should().Contain("cancelled before it was dispatched");
        Posts(DeployDispatches).Should().Be(0);
    }

    private int Posts(string path) => Scenario.GitHub.Requests.Count(r => r.Method == "POST" && r.Path == path);

    private static async Task<HttpResponseMessage> PollQueueUntilSettledAsync(OrcaClient orca, string queueId)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var response = await orca.QueueAsync(queueId);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK || System.Text.Json.Nodes.JsonNode.Parse(text)!["number"] is not null || elapsed.Elapsed > TimeSpan.FromSeconds(30))
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(50);
        }
    }

    private static Dictionary<string, string> Version() => new() { ["version"] = "1.0.0" };
}
