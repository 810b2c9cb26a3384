using System.Text.Encodings.Web;
using System.Text.Json;
using Igor.GitHubActions.Contracts;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Igor.GitHubActions.Igor.Http;

/// <summary>
/// The one writer of Igor's error body, <c>{"status":…,"error":"…","message":"…"}</c> (Spring's shape, which Orca and
/// Gate read), for the exception handler, the authentication middlewares and the endpoints that refuse without throwing.
/// </summary>
internal static class IgorErrors
{
    public static ErrorResponse Body(int status, string message) =>
        new() { Status = status, Error = ReasonPhrases.GetReasonPhrase(status), Message = message };

    /// <summary>The error as an endpoint's result, serialized with the service's JSON options (as every answer is).</summary>
    public static JsonHttpResult<ErrorResponse> Result(int status, string message) => TypedResults.Json(Body(status, message), statusCode: status);

    /// <summary>The error written by a middleware (the response must not have started), with the service's JSON options.</summary>
    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        var options = context.RequestServices?.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions ?? Fallback;
        return context.Response.WriteAsJsonAsync(Body(status, message), options, cancellationToken: context.RequestAborted);
    }

    /// <summary>Outside the service's container (never in practice): Igor's contract types, messages unescaped as Spring writes them.</summary>
    private static readonly JsonSerializerOptions Fallback = new(IgorJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
