using System.Net;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Igor.GitHubActions.PassThrough;

/// <summary>Forwards one request to the existing Igor unchanged and streams its answer back (YARP direct forwarding).</summary>
internal sealed partial class IgorForwarder : IDisposable
{
    private readonly IHttpForwarder _forwarder;
    private readonly ILogger<IgorForwarder> _logger;
    private readonly string _destinationPrefix;

    // YARP's recommended invoker settings: no proxy, redirects, cookies or decompression, so answers pass as they are.
    // No activity propagator either: the caller's trace headers reach Igor as they were sent.
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        EnableMultipleHttp2Connections = true,
    });

    public IgorForwarder(IHttpForwarder forwarder, IOptions<PassThroughOptions> options, ILogger<IgorForwarder> logger)
    {
        _forwarder = forwarder;
        _logger = logger;
        _destinationPrefix = options.Value.PassThroughUrl?.AbsoluteUri
            ?? throw new InvalidOperationException($"{PassThroughOptions.SectionName}:PassThroughUrl is not set");
    }

    /// <summary>Forwards the request; when Igor cannot be reached the client gets YARP's 502 (Orca retries 502).</summary>
    public async Task ForwardAsync(HttpContext context)
    {
        var error = await _forwarder.SendAsync(context, _destinationPrefix, _invoker, ForwarderRequestConfig.Empty, RawTargetTransformer.Instance)
            .ConfigureAwait(false);
        if (error != ForwarderError.None)
        {
            Log.ForwardFailed(_logger, context.Request.Method, context.Request.Path, error, context.GetForwarderErrorFeature()?.Exception);
        }
    }

    public void Dispose() => _invoker.Dispose();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Method} {Path} could not be forwarded to the existing Igor: {Error}")]
        public static partial void ForwardFailed(ILogger logger, string method, PathString path, ForwarderError error, Exception? exception);
    }
}
