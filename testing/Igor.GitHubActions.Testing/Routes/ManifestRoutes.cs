using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.Json;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary>
/// The GitHub App manifest flow (docs: "Registering a GitHub App from a manifest"): a form POSTs <c>manifest</c> to
/// <c>/settings/apps/new?state=</c> (or <c>/organizations/{org}/settings/apps/new</c>), the user confirms on GitHub's
/// page, GitHub registers the App (id, key, webhook secret and client secret are GitHub's) and redirects to the
/// manifest's <c>redirect_url</c> with <c>code</c> and <c>state</c>; <c>POST /app-manifests/{code}/conversions</c>
/// (no authentication) then answers the App with its <c>pem</c> and <c>webhook_secret</c>, once, within an hour.
/// </summary>
internal static class ManifestRoutes
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromHours(1);

    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapPost("/settings/apps/new", (Delegate)((HttpContext context) => NewAsync(core, context, null)));
        routes.MapPost("/organizations/{org}/settings/apps/new", (HttpContext context, string org) => NewAsync(core, context, org));
        routes.MapPost("/settings/apps/new/confirm", (Delegate)((HttpContext context) => ConfirmAsync(core, context)));
        routes.MapPost("/app-manifests/{code}/conversions", (HttpContext context, string code) => Convert(core, context, code));
    }

    private static async Task<IResult> NewAsync(SimulatorCore core, HttpContext context, string? org)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var manifestText = form["manifest"].ToString();
        if (Parse(manifestText) is not { } manifest)
        {
            return Page("Invalid GitHub App manifest", "<p class=\"flash-error\">The manifest is not valid JSON.</p>", 422);
        }

        if (manifest["url"]?.GetValue<string>() is not { Length: > 0 })
        {
            return Page("Invalid GitHub App manifest", "<p class=\"flash-error\">The manifest needs a url (the App's homepage).</p>", 422);
        }

        var owner = org ?? core.DefaultActor.Login;
        return ConfirmPage(manifestText, manifest, owner, org, context.Request.Query["state"].ToString(), error: null);
    }

    private static async Task<IResult> ConfirmAsync(SimulatorCore core, HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var manifestText = form["manifest"].ToString();
        var org = form["org"].ToString() is { Length: > 0 } o ? o : null;
        var state = form["state"].ToString();
        var name = form["name"].ToString().Trim();
        if (Parse(manifestText) is not { } manifest)
        {
            return Page("Invalid GitHub App manifest", "<p class=\"flash-error\">The manifest is not valid JSON.</p>", 422);
        }

        var owner = org ?? core.DefaultActor.Login;
        var slug = Slug(name);
        SimulatedApp app;
        string code;
        lock (core.Sync)
        {
            if (slug.Length == 0 || core.Apps.Values.Any(a => a.Slug == slug))
            {
                return ConfirmPage(manifestText, manifest, owner, org, state, slug.Length == 0 ? "Name can't be blank" : "Name is already in use");
            }

            var id = core.Apps.Count == 0 ? 1000001 : core.Apps.Keys.Max() + 1;
            app = new SimulatedApp(core, id, "Iv23li" + RandomNumberGenerator.GetHexString(10, lowercase: true), slug) { Name = name };
            app.Permissions.Clear();
            foreach (var (permission, access) in manifest["default_permissions"] as JsonObject ?? [])
            {
                app.Permissions[permission] = access?.GetValue<string>() ?? "read";
            }

            app.Permissions.TryAdd("metadata", "read");
            app.Events = (manifest["default_events"] as JsonArray ?? []).Select(e => e!.GetValue<string>()).ToList();
            app.ClientSecret = RandomNumberGenerator.GetHexString(40, lowercase: true);
            app.WebhookSecret = RandomNumberGenerator.GetHexString(40, lowercase: true);
            app.WebhookUrl = manifest["hook_attributes"]?["url"]?.GetValue<string>();
            core.Apps[id] = app;
            code = RandomNumberGenerator.GetHexString(20, lowercase: true);
            core.ManifestCodes[code] = (app, core.Now + CodeLifetime);
        }

        if (app.WebhookUrl is { } hook && manifest["hook_attributes"]?["active"]?.GetValue<bool>() != false && core.Webhooks is { } webhooks)
        {
            // One App's hook is what the simulator delivers to: the new App's, for the events it subscribed to.
            webhooks.Url = new Uri(hook);
            webhooks.Secret = app.WebhookSecret;
            webhooks.DeliverWorkflowRuns = app.Events.Contains("workflow_run");
            webhooks.DeliverDeployments = app.Events.Contains("deployment");
        }

        if (manifest["redirect_url"]?.GetValue<string>() is not { Length: > 0 } redirect)
        {
            return Page($"{name} was created", $"<p>Your GitHub App {Html(name)} was created. Its settings: <a href=\"/settings/apps/{Html(slug)}\">/settings/apps/{Html(slug)}</a></p>", 200);
        }

        var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var location = $"{redirect}{separator}code={Uri.EscapeDataString(code)}" + (state.Length > 0 ? $"&state={Uri.EscapeDataString(state)}" : "");
        return Results.Redirect(location);
    }

    private static IResult Convert(SimulatorCore core, HttpContext context, string code)
    {
        SimulatedApp app;
        lock (core.Sync)
        {
            if (!core.ManifestCodes.Remove(code, out var entry) || entry.Expires < core.Now)
            {
                return ApiErrors.NotFound();
            }

            app = entry.App;
        }

        var json = AppJson.App(Urls.From(context), app);
        json["client_secret"] = app.ClientSecret;
        json["webhook_secret"] = app.WebhookSecret;
        json["pem"] = app.PrivateKeyPem;
        return new JsonApiResult(json, 201);
    }

    private static IResult ConfirmPage(string manifestText, JsonObject manifest, string owner, string? org, string state, string? error)
    {
        var name = manifest["name"]?.GetValue<string>() ?? "";
        var permissions = string.Join("", (manifest["default_permissions"] as JsonObject ?? []).Select(p => $"<li>{Html(p.Key)}: {Html(p.Value?.ToString() ?? "")}</li>"));
        var events = string.Join("", (manifest["default_events"] as JsonArray ?? []).Select(e => $"<li>{Html(e?.ToString() ?? "")}</li>"));
        var hook = manifest["hook_attributes"]?["url"]?.GetValue<string>() ?? "(none)";
        var body = new StringBuilder()
            .Append(error is null ? "" : $"<p class=\"flash-error\" id=\"error\">{Html(error)}</p>")
            .Append(CultureInfo.InvariantCulture, $"<p>Owner: <strong id=\"owner\">{Html(owner)}</strong></p>")
            .Append("<form method=\"post\" action=\"/settings/apps/new/confirm\">")
            .Append(CultureInfo.InvariantCulture, $"<label>GitHub App name <input id=\"name\" name=\"name\" value=\"{Html(name)}\"></label>")
            .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"manifest\" value=\"{Html(manifestText)}\">")
            .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"state\" value=\"{Html(state)}\">")
            .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"org\" value=\"{Html(org ?? "")}\">")
            .Append(CultureInfo.InvariantCulture, $"<h2>Repository permissions</h2><ul id=\"permissions\">{permissions}</ul>")
            .Append(CultureInfo.InvariantCulture, $"<h2>Subscribe to events</h2><ul id=\"events\">{events}</ul>")
            .Append(CultureInfo.InvariantCulture, $"<p>Webhook URL: <code id=\"hook\">{Html(hook)}</code></p>")
            .Append(CultureInfo.InvariantCulture, $"<button id=\"create\" type=\"submit\">Create GitHub App for {Html(owner)}</button></form>");
        return Page("Create GitHub App", body.ToString(), error is null ? 200 : 422);
    }

    private static IResult Page(string title, string body, int status) => Results.Content(
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{Html(title)} · GitHub (simulated)</title></head><body><h1>{Html(title)}</h1>{body}</body></html>",
        "text/html; charset=utf-8", Encoding.UTF8, status);

    private static JsonObject? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>GitHub's slug: lower case, runs of other characters as one dash.</summary>
    private static string Slug(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        return slug.ToString().Trim('-');
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
