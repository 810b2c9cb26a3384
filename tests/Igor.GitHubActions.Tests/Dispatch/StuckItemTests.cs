using System.Net;
using System.Text.RegularExpressions;
using Igor.GitHubActions.Testing;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Dispatch;

/// <summary>
/// A start whose run can never be followed (GitHub answers 404 for it from then on) ends after CorrelationTimeout with a
/// message Orca shows, and stops costing GitHub requests; another master's items are not held up meanwhile.
/// </summary>
[CancelAfter(60_000)]
public sealed class StuckItemTests
{
    private const string Deploy = "acme/api/deploy.yml";

    [Test]
    public async Task ItemThatCannotResolve_EndsWithAMessage_AndStopsCallingGitHub()
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings["GitHub:CorrelationTimeout"] = "00:00:01";
        scenario.Settings["GitHub:DispatchRecoveryGrace"] = "00:00:01";
        await scenario.StartServiceAsync();
        scenario.GitHub.Faults.Add(new Fault { Method = "GET", PathPattern = new Regex(@"/actions/runs/\d+$"), Times = int.MaxValue, StatusCode = 404 });
        var orca = new OrcaClient(scenario.Client, GitHubScenario.Master);

        var queueId = await orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" });

        string? message = null;
        await Poll.UntilAsync(async () =>
        {
            using var queue = await orca.QueueAsync(queueId);
            message = await queue.Content.ReadAsStringAsync();
            return queue.StatusCode == HttpStatusCode.Gone;
        }, TimeSpan.FromSeconds(20));
        message.Should().Contain("could not be followed on GitHub").And.Contain("deploy.yml");
        scenario.Service!.AllLogText().Should().Contain($"queue item {queueId} of {Deploy} ended");

        // Ended: it is no longer open, so the background processor (which works through the open items only) asks GitHub
        // nothing more about it.
        var items = (global::Igor.GitHubActions.Igor.Queue.IQueueItems)scenario.Service!.Services.GetService(typeof(global::Igor.GitHubActions.Igor.Queue.IQueueItems))!;
        var id = long.Parse(queueId, System.Globalization.CultureInfo.InvariantCulture);
        (await items.GetAsync(id, CancellationToken.None))!.State.Should().Be(global::Igor.GitHubActions.Igor.Queue.QueueItemState.Failed);
        (await items.ListOpenAsync(GitHubScenario.Master, CancellationToken.None)).Should().NotContain(i => i.Id == id);
        RunReads(scenario).Should().BeGreaterThan(0, "it was tried while it could still resolve");
    }

    private static int RunReads(GitHubScenario scenario) =>
        scenario.GitHub.Requests.Count(r => r.Method == "GET" && Regex.IsMatch(r.ApiPath, @"/actions/runs/\d+$"));
}
