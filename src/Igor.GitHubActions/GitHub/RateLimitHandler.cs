using System.Globalization;
using Igor.GitHubActions.Operations;

namespace Igor.GitHubActions.GitHub;

/// <summary>Counts GitHub requests and records the rate limit GitHub reports on each response.</summary>
internal sealed class RateLimitHandler(RateLimitTracker tracker) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var (master, installation) = tracker.Identify(request.Headers.Authorization?.ToString());
        IgorMetrics.GitHubRequests.WithLabels(master, installation, request.Method.Method, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)).Inc();
        if (Header(response, "x-ratelimit-remaining") is { } remaining && Header(response, "x-ratelimit-limit") is { } limit)
        {
            var reset = Header(response, "x-ratelimit-reset") is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MaxValue;
            tracker.Record(master, installation, (int)remaining, (int)limit, reset);
        }

        return response;
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
