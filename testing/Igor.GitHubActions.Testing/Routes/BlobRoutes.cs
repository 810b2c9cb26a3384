using System.Globalization;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary>The blob host: signed, expiring download links that need no Authorization header and refuse one. Content is streamed.</summary>
internal static class BlobRoutes
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapGet("/_blobs/{id}", (HttpContext context, string id) =>
        {
            var entry = core.Blobs.Get(id);
            if (entry is null)
            {
                return Results.Text("The specified blob does not exist.", "text/plain", statusCode: StatusCodes.Status404NotFound);
            }

            // The storage behind GitHub's signed links authenticates by the signature alone: an Authorization header as
            // well (a client that forwards the API token on the redirect) is refused, and would leak the token.
            if (context.Request.Headers.Authorization.Count > 0)
            {
                return Results.Text(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>InvalidAuthenticationInfo</Code><Message>Authentication information is not given in the correct format. Check the value of Authorization header.</Message></Error>",
                    "application/xml", statusCode: StatusCodes.Status400BadRequest);
            }

            var exp = context.Request.Query["exp"].ToString();
            if (!core.Blobs.Verify(id, exp, context.Request.Query["sig"].ToString()))
            {
                return Results.Text("Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.", "text/plain", statusCode: StatusCodes.Status403Forbidden);
            }

            if (!long.TryParse(exp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var expires) || core.Now.ToUnixTimeSeconds() > expires)
            {
                return Results.Text("Request has expired", "text/plain", statusCode: StatusCodes.Status403Forbidden);
            }

            return Results.Stream(entry.Open(), entry.ContentType, entry.FileName);
        });
    }
}
