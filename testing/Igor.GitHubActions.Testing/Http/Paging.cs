using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Igor.GitHubActions.Testing.Http;

/// <summary>per_page/page handling and the <c>Link</c> header.</summary>
internal static class Paging
{
    public static (int PerPage, int Page) Read(HttpContext context, int defaultPerPage = 30)
    {
        var perPage = int.TryParse(context.Request.Query["per_page"], CultureInfo.InvariantCulture, out var p) && p > 0 ? Math.Min(p, 100) : defaultPerPage;
        var page = int.TryParse(context.Request.Query["page"], CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        return (perPage, page);
    }

    public static List<T> Slice<T>(IEnumerable<T> items, int perPage, int page) => items.Skip((page - 1) * perPage).Take(perPage).ToList();

    /// <summary>GitHub's paged list answer: <c>{total_count, &lt;key&gt;: [...]}</c> for the requested page, with its <c>Link</c> header.</summary>
    public static JsonApiResult List<T>(HttpContext context, Urls urls, string key, IReadOnlyList<T> all, Func<T, JsonNode> render, Action<JsonObject>? extra = null)
    {
        var (perPage, page) = Read(context);
        var body = new JsonObject { ["total_count"] = all.Count };
        extra?.Invoke(body);
        body[key] = new JsonArray([.. Slice(all, perPage, page).Select(render)]);
        return new JsonApiResult(body, 200, LinkHeader(context, urls, perPage, page, all.Count));
    }

    /// <summary>A <c>Link</c> header (next, last, first, prev) for the current request, or no header when everything fits one page.</summary>
    public static Dictionary<string, string> LinkHeader(HttpContext context, Urls urls, int perPage, int page, int total)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var last = Math.Max(1, (total + perPage - 1) / perPage);
        if (last <= 1 && page <= 1)
        {
            return headers;
        }

        var links = new List<string>();
        if (page > 1)
        {
            links.Add($"<{PageUrl(context, urls, perPage, page - 1)}>; rel=\"prev\"");
        }

        if (page < last)
        {
            links.Add($"<{PageUrl(context, urls, perPage, page + 1)}>; rel=\"next\"");
            links.Add($"<{PageUrl(context, urls, perPage, last)}>; rel=\"last\"");
        }

        if (page > 1)
        {
            links.Add($"<{PageUrl(context, urls, perPage, 1)}>; rel=\"first\"");
        }

        headers["Link"] = string.Join(", ", links);
        return headers;
    }

    private static string PageUrl(HttpContext context, Urls urls, int perPage, int page)
    {
        var query = context.Request.Query
            .Where(q => q.Key is not "page" and not "per_page")
            .ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal);
        query["per_page"] = perPage.ToString(CultureInfo.InvariantCulture);
        query["page"] = page.ToString(CultureInfo.InvariantCulture);
        var path = $"{urls.Api}{context.Request.Path.Value?.TrimStart('/')}";
        return QueryHelpers.AddQueryString(path, query);
    }
}
