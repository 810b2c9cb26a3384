using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Igor.GitHubActions.Igor.Http;

/// <summary>
/// Reads a job name from the raw request target, so percent-encoded segments are decoded exactly once:
/// Spinnaker sends the path form with literal '/' between segments and each segment encoded (contract §1.3).
/// </summary>
internal static class JobRoute
{
    /// <summary>The decoded path segments after the first <paramref name="skip"/> ones.</summary>
    public static IReadOnlyList<string> Segments(HttpContext context, int skip)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            raw = raw[..query];
        }

        var segments = raw.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Skip(skip).Select(Decode).ToArray();
    }

    /// <summary>
    /// The decoded raw segments from the route's catch-all parameter (<c>{**job}</c>) on: where it starts is read from the
    /// matched endpoint's route pattern, so no endpoint counts segments by hand.
    /// </summary>
    public static IReadOnlyList<string> CatchAll(HttpContext context) => Segments(context, IndexOf(context, null));

    /// <summary>The decoded raw segment of a route parameter (the route value would keep an encoded '/' as it is).</summary>
    public static string Segment(HttpContext context, string parameter) => Segments(context, IndexOf(context, parameter))[0];

    /// <summary>The position of the route's catch-all parameter (or the named one) among the path's segments.</summary>
    private static int IndexOf(HttpContext context, string? parameter)
    {
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern
            ?? throw new InvalidOperationException("the job is read from a route endpoint's pattern, and the request has none");
        for (var i = 0; i < pattern.PathSegments.Count; i++)
        {
            if (pattern.PathSegments[i].Parts.OfType<RoutePatternParameterPart>().Any(p => parameter is null ? p.IsCatchAll : p.Name == parameter))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"the route {pattern.RawText} has no {(parameter is null ? "catch-all parameter" : $"parameter '{parameter}'")}");
    }

    /// <summary>The job named by the segments; an encoded '/' inside one segment is refused.</summary>
    public static JobName ToJob(IReadOnlyList<string> segments)
    {
        if (segments.Count != 3)
        {
            throw IgorException.BadRequest($"'{string.Join('/', segments)}' is not a job name: expected owner/repo/workflow.yml");
        }

        return JobName.TryCreate(segments[0], segments[1], segments[2], out var job, out var error)
            ? job
            : throw IgorException.BadRequest(error);
    }

    /// <summary>The job from <c>?job=</c> (or another query key), decoded by the framework once.</summary>
    public static JobName FromQuery(HttpContext context, string key)
    {
        var values = context.Request.Query[key];
        if (values.Count != 1)
        {
            throw IgorException.BadRequest($"give the job exactly once, as ?{key}=owner/repo/workflow.yml or in the path");
        }

        return JobName.Parse(values[0]);
    }

    private static string Decode(string segment)
    {
        try
        {
            return Uri.UnescapeDataString(segment);
        }
        catch (UriFormatException)
        {
            throw IgorException.BadRequest($"the path segment '{segment}' is not valid percent-encoding");
        }
    }
}
