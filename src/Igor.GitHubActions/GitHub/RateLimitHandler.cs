using System.Globalization;
using Igor.GitHubActions.Operations;

namespace Igor.GitHubActions.GitHub;

/// <summary>Counts GitHub requests and records the rate limit GitHub reports on each response.</summary>
internal sealed class RateLimitHandler(RateLimitTracker tracker) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (master, installation) = tracker.Identify(request.Headers.Authorization?.ToString());
        if (tracker.ExhaustedUntil(master, installation) is { } resetAt)
        {
            // GitHub: "continuing to make requests while you are rate limited may result in the banning of your integration".
            // Answer as GitHub would until x-ratelimit-reset, without sending anything.
            return HeldBack(request, resetAt);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        IgorMetrics.GitHubRequests.WithLabels(master, installation, request.Method.Method, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)).Inc();
        if (Header(response, "x-ratelimit-remaining") is { } remaining && Header(response, "x-ratelimit-limit") is { } limit)
        {
            var reset = Header(response, "x-ratelimit-reset") is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MaxValue;
            tracker.Record(master, installation, (int)remaining, (int)limit, reset);
        }

        return response;
    }

    private static HttpResponseMessage HeldBack(HttpRequestMessage request, DateTimeOffset reset)
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.Forbidden)
        {
            RequestMessage = request,
            Content = new StringContent(
                "{\"message\":\"API rate limit exceeded: held back by the service until x-ratelimit-reset\",\"documentation_url\":\"https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api\"}",
                System.Text.Encoding.UTF8, "application/json"),
        };
        response.Headers.TryAddWithoutValidation("x-ratelimit-remaining", "0");
        response.Headers.TryAddWithoutValidation("x-ratelimit-limit", "0");
        response.Headers.TryAddWithoutValidation("x-ratelimit-reset", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return response;
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
