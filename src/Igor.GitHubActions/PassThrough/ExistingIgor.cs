using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Igor.GitHubActions.PassThrough;

/// <summary>The existing Igor's side of the merged listings (<c>/masters</c>, <c>/buildServices</c>, <c>/health</c>).</summary>
internal sealed partial class ExistingIgor(IHttpClientFactory clients, IOptions<PassThroughOptions> options, ILogger<ExistingIgor> logger)
{
    public const string HttpClientName = "ExistingIgor";

    /// <summary>The URL without any credentials, for logs and messages.</summary>
    public string DisplayUrl => options.Value.PassThroughUrl?.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) ?? "";

    /// <summary>
    /// GETs <paramref name="pathAndQuery"/> from the existing Igor. The caller's X-SPINNAKER-* headers go along,
    /// because Igor filters listings by the user's Fiat permissions.
    /// </summary>
    public async Task<IgorAnswer> GetAsync(string pathAndQuery, IHeaderDictionary? callerHeaders, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery.TrimStart('/'));
        request.Headers.Accept.ParseAdd("application/json");
        foreach (var (name, values) in callerHeaders ?? new HeaderDictionary())
        {
            if (name.StartsWith("X-SPINNAKER-", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new IgorAnswer((int)response.StatusCode, body.Length == 0 ? null : JsonNode.Parse(body), null);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or JsonException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var problem = e switch
            {
                HttpRequestException h => $"the existing Igor is unreachable ({h.HttpRequestError})",
                JsonException => "the existing Igor did not answer JSON",
                _ => "the existing Igor did not answer in time",
            };
            Log.ListingFailed(logger, DisplayUrl, pathAndQuery, problem, e);
            return new IgorAnswer(null, null, problem);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The existing Igor at {Url} gave no answer to {PathAndQuery}: {Problem}")]
        public static partial void ListingFailed(ILogger logger, string url, string pathAndQuery, string problem, Exception exception);
    }
}
