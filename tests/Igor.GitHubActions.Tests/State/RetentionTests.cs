using System.Net;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.State;

/// <summary>State:Retention and State:PruneInterval in seconds, as the soak run uses them: what finished goes, what runs stays.</summary>
[CancelAfter(60_000)]
public sealed class RetentionTests
{
    private const string Deploy = "acme/api/deploy.yml";

    [TestCase("Sqlite")]
    [TestCase("Redis")]
    public async Task FinishedItemsPastTheRetention_ArePruned_AStartNotYetDispatchedStays(string provider)
    {
        await using var redis = provider == "Redis" ? await RedisServer.StartAsync() : null;
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        if (redis is not null)
        {
            scenario.Settings["State:Provider"] = "Redis";
            scenario.Settings["State:Redis:Configuration"] = redis.Configuration;
        }

        scenario.Settings["State:Retention"] = "00:00:01";
        scenario.Settings["State:PruneInterval"] = "00:00:00.200";
        await scenario.StartServiceAsync();
        var orca = new OrcaClient(scenario.Client, GitHubScenario.Master);
        var finished = await orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" });
        await orca.WaitForBuildNumberAsync(finished);
        scenario.Api.GetWorkflow("deploy.yml").Runs.Single().Complete("success");

        // A start whose dispatch hangs is live however long it takes: never pruned.
        scenario.GitHub.Faults.HangNext("POST", "/repos/acme/api/actions/workflows/deploy.yml/dispatches", TimeSpan.FromSeconds(8));
        var hanging = orca.StartAsync(Deploy, new Dictionary<string, string> { ["version"] = "2" });

        await Poll.UntilAsync(() => scenario.Service!.AllLogText().Contains("Pruned what is older than", StringComparison.Ordinal));
        var items = (global::Igor.GitHubActions.Igor.Queue.IQueueItems)scenario.Service!.Services.GetService(typeof(global::Igor.GitHubActions.Igor.Queue.IQueueItems))!;
        await Poll.UntilAsync(async () => await items.GetAsync(long.Parse(finished, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None) is null);
        (await items.ListOpenAsync(GitHubScenario.Master, CancellationToken.None)).Should().ContainSingle("the hanging start is live and stays");
        using var answer = await hanging;
        answer.StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable);
    }
}
