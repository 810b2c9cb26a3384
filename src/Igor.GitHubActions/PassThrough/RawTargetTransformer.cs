using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Igor.GitHubActions.PassThrough;

/// <summary>
/// Copies the request as it came (YARP's base transform copies method, headers and body, and adds nothing such as
/// X-Forwarded-*), and sends it to the request target exactly as the client wrote it: Kestrel's decoded path would
/// re-encode job segments differently (<c>%3A</c> becomes <c>:</c>), and Igor decodes them itself (contract §1.3).
/// </summary>
internal sealed class RawTargetTransformer : HttpTransformer
{
    public static readonly RawTargetTransformer Instance = new();

    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        var raw = httpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is not null && raw.StartsWith('/'))
        {
            proxyRequest.RequestUri = new Uri(destinationPrefix.TrimEnd('/') + raw, Verbatim);
        }
    }
}
