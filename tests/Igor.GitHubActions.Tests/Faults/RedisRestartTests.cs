using System.Net;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Faults;

/// <summary>The Redis store restarted under a running build: requests fail as retryable meanwhile, nothing is lost after.</summary>
[CancelAfter(120_000)]
public sealed class RedisRestartTests
{
    private const string Deploy = "acme/api/deploy.yml";

    [Test]
    public async Task RedisRestartedMidBuild_BuildStillReachesItsResult()
    {
        var data = TestPaths.NewScratchDirectory();
        var redis = await RedisServer.StartAsync(dataDirectory: data);
        var port = redis.Port;
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings["State:Provider"] = "Redis";
        scenario.Settings["State:Redis:Configuration"] = redis.Configuration;
        await scenario.StartServiceAsync();
        var orca = new OrcaClient(scenario.Client, GitHubScenario.Master);
        try
        {
            var queueId = await orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "1.0.0" });
            var number = await orca.WaitForBuildNumberAsync(queueId);

            await redis.DisposeAsync();
            using (var during = await orca.QueueAsync(queueId))
            {
                ((int)during.StatusCode).Should().BeOneOf([200, 503], "a store outage is either answered from memory or retryable, never a 500");
            }

            redis = await RedisServer.StartAsync(port, data);
            scenario.Api.GetWorkflow("deploy.yml").Runs.Single().Complete("success");

            (await orca.WaitForBuildNumberAsync(queueId)).Should().Be(number, "the queue item survived the restart");
            (await orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "1.0.0" })).Should().Be(queueId);
            scenario.Api.GetWorkflow("deploy.yml").Runs.Should().ContainSingle();
            string? result = null;
            var elapsed = System.Diagnostics.Stopwatch.StartNew();
            while (result is null && elapsed.Elapsed < TimeSpan.FromSeconds(20))
            {
                using var status = await orca.StatusAsync(Deploy, number);
                if (status.StatusCode == HttpStatusCode.OK)
                {
                    var build = System.Text.Json.Nodes.JsonNode.Parse(await status.Content.ReadAsStringAsync())!;
                    result = build["building"]!.GetValue<bool>() ? null : build["result"]!.GetValue<string>();
                }

                // Orca's poll loop; 503 while the client reconnects means "try again".
                await Task.Delay(100);
            }

            result.Should().Be("SUCCESS");
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }
}
