using System.Net;
using Igor.GitHubActions.GitHub.Client;
using Octokit;
using Octokit.Caching;
using Octokit.Internal;

namespace Igor.GitHubActions.Tests.GitHub;

/// <summary>The conditional-request cache stays within its byte budget whatever GitHub answers, and keeps what is asked again.</summary>
public sealed class MemoryResponseCacheTests
{
    private const long Budget = 1024 * 1024;

    [Test]
    public async Task ManyLargeAnswers_StayWithinTheBudget_TheMostRecentlyUsedKept()
    {
        var cache = new MemoryResponseCache(Budget);
        var body = new string('x', 100 * 1024); // 200 KB as .NET characters

        for (var i = 0; i < 100; i++)
        {
            await cache.SetAsync(Request($"repos/acme/api/actions/runs/{i}"), Answer(body));
            if (i == 50)
            {
                // Asked again: it moves to the front.
                (await cache.GetAsync(Request("repos/acme/api/actions/runs/48"))).Should().NotBeNull();
            }

            cache.Bytes.Should().BeLessThanOrEqualTo(Budget);
        }

        cache.Count.Should().BeInRange(1, 5);
        (await cache.GetAsync(Request("repos/acme/api/actions/runs/99"))).Should().NotBeNull("the newest answer is kept");
        (await cache.GetAsync(Request("repos/acme/api/actions/runs/0"))).Should().BeNull("the oldest went first");
    }

    [Test]
    public async Task AnAnswerLargerThanAQuarterOfTheBudget_IsNotKept()
    {
        var cache = new MemoryResponseCache(Budget);

        await cache.SetAsync(Request("repos/acme/api/contents/big"), Answer(new string('x', (int)(Budget / 4))));

        cache.Count.Should().Be(0);
        cache.Bytes.Should().Be(0);
    }

    [Test]
    public async Task AListingBoundedByAMoment_IsNotKept_ItNeverRepeats()
    {
        var cache = new MemoryResponseCache(Budget);

        await cache.SetAsync(Request("repos/acme/api/actions/runs", ("created", ">=2026-12-07T01:00:00Z")), Answer("{}"));
        await cache.SetAsync(Request("repos/acme/api/actions/runs", ("status", "completed")), Answer("{}"));

        cache.Count.Should().Be(1, "only the listing whose key can repeat is kept");
    }

    private static Request Request(string endpoint, params (string Key, string Value)[] parameters)
    {
        var request = new Request { Endpoint = new Uri(endpoint, UriKind.Relative), Method = HttpMethod.Get };
        foreach (var (key, value) in parameters)
        {
            request.Parameters[key] = value;
        }

        return request;
    }

    private static CachedResponse.V1 Answer(string body) => new(
        body,
        new Dictionary<string, string> { ["ETag"] = "\"abc\"" },
        new ApiInfo(new Dictionary<string, Uri>(), [], [], "\"abc\"", new RateLimit(5000, 4999, 1_800_000_000), TimeSpan.Zero),
        HttpStatusCode.OK,
        "application/json");
}
