using Igor.GitHubActions.Security;
using Microsoft.AspNetCore.Diagnostics;

namespace Igor.GitHubActions.Igor.Http;

/// <summary>Turns every failure into Igor's JSON error body; unexpected ones say nothing about internals.</summary>
internal sealed partial class IgorExceptionHandler(ILogger<IgorExceptionHandler> logger, SecretRedactor redactor) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, message) = exception switch
        {
            IgorException e => (e.StatusCode, e.Message),
            BadHttpRequestException e => (e.StatusCode, e.Message),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "the client went away"),
            StackExchange.Redis.RedisException or Microsoft.Data.Sqlite.SqliteException => (StatusCodes.Status503ServiceUnavailable,
                "the service's state store is unavailable; retry shortly"),
            _ => (StatusCodes.Status500InternalServerError, "unexpected error; the service log has the details (request id " + httpContext.TraceIdentifier + ")"),
        };

        message = redactor.Redact(message);

        // Failures on the service's side, and refusals only an operator can fix (credentials, permissions: 424), are logged.
        if (status >= 500 || status == StatusCodes.Status424FailedDependency)
        {
            // Deliberate failures are logged by their message only: their inner exceptions may carry GitHub's bodies.
            if (exception is IgorException)
            {
                Log.RequestRefused(logger, httpContext.Request.Method, httpContext.Request.Path, status, message);
            }
            else
            {
                Log.RequestFailed(logger, httpContext.Request.Method, httpContext.Request.Path, status, exception);
            }
        }

        if (httpContext.Response.HasStarted)
        {
            return true;
        }

        await IgorErrors.WriteAsync(httpContext, status, message).ConfigureAwait(false);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Method} {Path} answered {StatusCode}")]
        public static partial void RequestFailed(ILogger logger, string method, PathString path, int statusCode, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "{Method} {Path} answered {StatusCode}: {Message}")]
        public static partial void RequestRefused(ILogger logger, string method, PathString path, int statusCode, string message);
    }
}
