using Microsoft.AspNetCore.Http;

namespace Igor.GitHubActions.GitHubSimulator.Http;

/// <summary>Raw bytes with a strong ETag (304 on a matching If-None-Match).</summary>
internal sealed class RawResult(byte[] bytes, string contentType, string etag) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.Headers.ETag = $"\"{etag}\"";
        if (JsonApiResult.Matches(httpContext.Request.Headers.IfNoneMatch.ToString(), $"\"{etag}\""))
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
