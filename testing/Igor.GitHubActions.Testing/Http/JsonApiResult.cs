using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Igor.GitHubActions.Testing.Http;

/// <summary>A JSON (or empty) response. GET 200 responses carry an ETag and answer 304 to a matching <c>If-None-Match</c>.</summary>
internal sealed class JsonApiResult(JsonNode? body, int statusCode, IReadOnlyDictionary<string, string>? headers = null) : IResult
{
    public static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonApiResult Empty(int statusCode, IReadOnlyDictionary<string, string>? headers = null) => new(null, statusCode, headers);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        if (body is null)
        {
            response.StatusCode = statusCode;
            return;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, SerializerOptions);
        response.Headers.Vary = "Accept, Authorization, Cookie, X-GitHub-OTP";
        if (statusCode == StatusCodes.Status200OK && HttpMethods.IsGet(httpContext.Request.Method))
        {
            var etag = $"W/\"{EntityTag(bytes, httpContext)}\"";
            response.Headers.ETag = etag;
            if (Matches(httpContext.Request.Headers.IfNoneMatch.ToString(), etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }

        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }

    /// <summary>
    /// GitHub's ETags vary with the credential as well as the body (its responses <c>Vary: Authorization</c>): the same
    /// resource read with a new installation token has a new ETag, so a conditional request made with the old one is a 200.
    /// </summary>
    public static string EntityTag(byte[] body, HttpContext context)
    {
        var credential = System.Text.Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
        return Convert.ToHexStringLower(SHA256.HashData([.. body, 0, .. credential]))[..40];
    }

    /// <summary>Whether an If-None-Match value matches an ETag (weak comparison, lists and <c>*</c> allowed).</summary>
    public static bool Matches(string ifNoneMatch, string etag)
    {
        if (string.IsNullOrWhiteSpace(ifNoneMatch))
        {
            return false;
        }

        static string Opaque(string tag) => tag.Trim().StartsWith("W/", StringComparison.Ordinal) ? tag.Trim()[2..] : tag.Trim();
        return ifNoneMatch.Split(',').Any(candidate => candidate.Trim() == "*" || Opaque(candidate) == Opaque(etag));
    }
}
