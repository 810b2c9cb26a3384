using Microsoft.AspNetCore.Http;

namespace Igor.GitHubActions.Testing.Http;

/// <summary>Raw bytes with a strong ETag (304 on a matching If-None-Match).</summary>
internal sealed class RawResult(byte[] bytes, string contentType, string etag) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        var tag = $"\"{JsonApiResult.EntityTag(System.Text.Encoding.UTF8.GetBytes(etag), httpContext)}\"";
        response.Headers.ETag = tag;
        response.Headers.Vary = "Accept, Authorization, Cookie, X-GitHub-OTP";
        if (JsonApiResult.Matches(httpContext.Request.Headers.IfNoneMatch.ToString(), tag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }
}
