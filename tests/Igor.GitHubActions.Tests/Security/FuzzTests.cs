using System.Diagnostics;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Igor.GitHubActions.Tests.Security;

/// <summary>
/// Hits every route with a fixed number of generated hostile requests (fixed seed) and checks that the service never
/// fails by accident: no 5xx but the deliberate 501 and 503 (Fiat down), no unhandled exception in its log, no GitHub
/// call for a request it refused as invalid or unauthorized, and /health still answers afterwards.
/// </summary>
public sealed class FuzzTests
{
    private const int Seed = 20_261_124;
    private const int Requests = 4_000;

    /// <summary>Answers that say the input was refused before any work: none of them may have reached GitHub.</summary>
    private static readonly int[] Refusals = [400, 401, 403, 405, 413, 414, 415, 431];

    [Test]
    [CancelAfter(300_000)]
    public async Task Fuzz_EveryEndpoint_FailsOnlyDeliberately(CancellationToken cancellationToken)
    {
        await using var fiat = await FakeFiat.StartAsync();
        fiat.Admin("alice").Grant("reader", GitHubScenario.Master, "READ");
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings["GitHub:WebhookSecret"] = GitHubScenario.WebhookSecret;
        scenario.Settings["GitHub:WebhookMaxBytes"] = "65536";
        scenario.Settings["GitHub:QueuePollInterval"] = "00:10:00";
        scenario.Settings["Fiat:BaseUrl"] = fiat.BaseAddress.ToString();
        scenario.Settings["Fiat:CacheDuration"] = "00:00:00";
        scenario.Settings["Fiat:RequestTimeout"] = "00:00:02";
        await scenario.StartServiceAsync();
        var service = scenario.Service!;
        var corpus = new FuzzCorpus(Seed);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var pastTheDoor = new HashSet<string>(StringComparer.Ordinal);
        var elapsed = Stopwatch.StartNew();

        var sent = 0;
        for (; sent < Requests && failures.Count < 20; sent++)
        {
            var request = corpus.Next(sent);
            fiat.FailWith = request.FiatDown ? 503 : null;
            var gitHubCallsBefore = scenario.GitHub.Requests.Count;

            var (status, body) = await RawHttp.SendAsync(service.BaseAddress, request.Method, request.Target, request.Headers, request.Body, cancellationToken);

            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status is (>= 200 and < 300) or 400 or 422)
            {
                // Routes whose own door (a shared secret, a signature) let the request in to their handler.
                pastTheDoor.Add(request.Target.Split('?')[0] switch
                {
                    var t when t.StartsWith("/stages/", StringComparison.Ordinal) => "stages",
                    var t when t.StartsWith("/echo/", StringComparison.Ordinal) => "echo",
                    var t when t.StartsWith("/webhooks/", StringComparison.Ordinal) => "webhooks",
                    _ => "igor",
                });
            }

            if (status == 0 || (status >= 500 && status is not (501 or 503)))
            {
                failures.Add($"{request} answered {status}: {Shorten(body)}");
            }
            else if (status == 503 && !request.FiatDown)
            {
                failures.Add($"{request} answered 503 with Fiat and GitHub up: {Shorten(body)}");
            }
            else if (Refusals.Contains(status) && scenario.GitHub.Requests.Skip(gitHubCallsBefore).Any(r => !IsBackgroundWork(r)))
            {
                var calls = scenario.GitHub.Requests.Skip(gitHubCallsBefore).Select(r => $"{r.Method} {r.ApiPath}");
                failures.Add($"{request} answered {status} but called GitHub ({string.Join(", ", calls)}): {Shorten(body)}");
            }
        }

        fiat.FailWith = null;
        TestContext.Out.WriteLine($"seed {Seed}: {sent} requests in {elapsed.Elapsed.TotalSeconds:F1} s; statuses {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        failures.Should().BeEmpty();
        sent.Should().Be(Requests, "the whole corpus runs, whatever the machine's speed");
        statuses.Keys.Should().Contain([200, 202, 400, 401, 403, 404], "the corpus reaches the handlers, not only the front door");
        pastTheDoor.Should().BeEquivalentTo(["stages", "echo", "webhooks", "igor"], "with the right secrets, every guarded route's handler is fuzzed too");

        using var health = await scenario.Client.GetAsync("health", cancellationToken);
        health.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, "the service still answers afterwards");
        var unexpected = service.Logs.GetSnapshot()
            .Where(r => r.Level >= LogLevel.Error && r.Category != "Polly" ||
                        r.Message.Contains("answered 500", StringComparison.Ordinal) ||
                        r.Message.Contains("unhandled", StringComparison.OrdinalIgnoreCase) ||
                        r.Message.Contains("could not be processed", StringComparison.Ordinal))
            .Select(r => $"{r.Level} {r.Category} {r.Message} {r.Exception?.GetType().Name}")
            .ToArray();
        unexpected.Should().BeEmpty();
    }

    /// <summary>
    /// The deployment-status sender works in the background on events an earlier request filed (it reads the deployment's
    /// newest status, then writes one): not the refused request's doing.
    /// </summary>
    private static bool IsBackgroundWork(global::Igor.GitHubActions.Testing.RecordedRequest request) =>
        request.Method is "POST" or "GET" && request.ApiPath.Contains("/deployments/", StringComparison.Ordinal) && request.ApiPath.EndsWith("/statuses", StringComparison.Ordinal);

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
