using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace Igor.GitHubActions.Setup;

/// <summary>
/// <c>/setup</c>: the form, the manifest page whose form posts to GitHub, and <c>/setup/callback</c>, where GitHub's
/// redirect brings the code that is exchanged for the App (<c>POST /app-manifests/{code}/conversions</c>).
/// </summary>
internal static partial class SetupEndpoints
{
    public const string HttpClientName = "github-app-setup";

    public static IEndpointRouteBuilder MapSetupEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/setup", (HttpContext context, SetupState state, SetupTokenFile tokenFile) =>
            Html(context, SetupPages.Form(DefaultForm(context), state.ConfigFile, tokenFile.Path, null), 200));
        routes.MapPost("/setup/manifest", ManifestAsync);
        routes.MapGet("/setup/callback", CallbackAsync);
        return routes;
    }

    private static SetupForm DefaultForm(HttpContext context) =>
        new("https://github.com", "", $"{context.Request.Scheme}://{context.Request.Host}/", "github-actions", "", false);

    private static async Task<IResult> ManifestAsync(HttpContext context, SetupState state, SetupTokenFile tokenFile, TimeProvider time)
    {
        var fields = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        string Field(string name) => fields[name].ToString().Trim();
        var form = new SetupForm(Field("github"), Field("organization"), Field("publicUrl"), Field("master"), Field("repositories"), Field("repositoryDispatch") == "true");
        IResult Refuse(string error, int status) => Html(context, SetupPages.Form(form, state.ConfigFile, tokenFile.Path, error), status);

        if (!state.TokenMatches(fields["token"]))
        {
            return Refuse($"token: not the setup token (it is in {tokenFile.Path})", StatusCodes.Status401Unauthorized);
        }

        if (state.Configured)
        {
            return Refuse("the service is configured already and is restarting", StatusCodes.Status409Conflict);
        }

        if (SetupConfigFile.Refusal(state.ConfigFile) is { } refusal)
        {
            return Refuse(refusal, StatusCodes.Status409Conflict);
        }

        if (Validate(form) is { } error)
        {
            return Refuse(error, StatusCodes.Status400BadRequest);
        }

        var web = new Uri(form.GitHub.TrimEnd('/') + "/");
        var request = new SetupRequest(web, SetupRequest.ApiUrlOf(web), form.Organization.Length == 0 ? null : form.Organization,
            new Uri(form.PublicUrl.TrimEnd('/') + "/"), form.Master, Repositories(form.Repositories), form.RepositoryDispatch, time.GetUtcNow());
        var target = request.NewAppUrl(state.Begin(request));
        context.Response.Headers.ContentSecurityPolicy = SetupPages.ContentSecurityPolicy(target);
        return Html(context, SetupPages.Manifest(request, AppManifest.For(request).ToJsonString(), target), 200, csp: false);
    }

    private static async Task<IResult> CallbackAsync(
        HttpContext context, string? code, string? state, SetupState setup, IHttpClientFactory clients, TimeProvider time,
        IHostApplicationLifetime lifetime, ILogger<SetupState> logger)
    {
        if (setup.Take(state) is not { } request)
        {
            return Html(context, SetupPages.Problem("Setup link expired", "state: unknown, used or older than an hour; start again from the setup page"), 400);
        }

        if (string.IsNullOrEmpty(code) || !CodePattern().IsMatch(code))
        {
            return Html(context, SetupPages.Problem("No code from GitHub", "code: GitHub's redirect carried no valid code; start again from the setup page"), 400);
        }

        CreatedApp app;
        try
        {
            app = await ConvertAsync(clients.CreateClient(HttpClientName), request.ApiUrl, code, context.RequestAborted).ConfigureAwait(false);
        }
        catch (SetupException e)
        {
            Log.ConversionFailed(logger, request.ApiUrl, e.Message);
            return Html(context, SetupPages.Problem("GitHub did not give the App", e.Message), StatusCodes.Status502BadGateway);
        }

        if (!setup.TryComplete())
        {
            return Html(context, SetupPages.Problem("Configured already", "another setup finished first; this App was created on GitHub but not used: delete it in its settings"), 409);
        }

        try
        {
            SetupConfigFile.Write(setup.ConfigFile, request, app, time);
        }
        catch (IOException e)
        {
            setup.Reopen();
            Log.WriteFailed(logger, setup.ConfigFile, e.Message);
            return Html(context, SetupPages.Problem("The configuration was not written", $"{setup.ConfigFile}: {e.Message}"), 500);
        }

        Log.Configured(logger, app.Slug, app.Id, setup.ConfigFile);
        context.Response.OnCompleted(() =>
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        });
        return Html(context, SetupPages.Done(app, request, setup.ConfigFile), 200);
    }

    private static async Task<CreatedApp> ConvertAsync(HttpClient http, Uri apiUrl, string code, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(apiUrl, $"app-manifests/{code}/conversions"));
        message.Headers.Accept.ParseAdd("application/vnd.github+json");
        message.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        message.Headers.UserAgent.ParseAdd("igor-github-actions-setup");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new SetupException($"{apiUrl} could not be reached ({e.Message}); check the GitHub address and start again", e);
        }

        using (response)
        {
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                throw new SetupException("GitHub does not know the code: it was used already or is older than an hour; start again from the setup page");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SetupException($"GitHub answered {(int)response.StatusCode} to the code conversion at {apiUrl}");
            }

            try
            {
                var json = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
                return new CreatedApp(
                    json!["id"]!.GetValue<long>(), json["slug"]!.GetValue<string>(), json["name"]?.GetValue<string>() ?? json["slug"]!.GetValue<string>(),
                    json["html_url"]!.GetValue<string>(), json["pem"]!.GetValue<string>(), json["webhook_secret"]!.GetValue<string>());
            }
            catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException)
            {
                throw new SetupException("GitHub's answer to the code conversion has no App id, slug, key or webhook secret", e);
            }
        }
    }

    private static string? Validate(SetupForm form)
    {
        if (!Uri.TryCreate(form.GitHub, UriKind.Absolute, out var web) || web.Scheme is not ("http" or "https"))
        {
            return $"github: '{form.GitHub}' is not an http(s) address such as https://github.com";
        }

        if (form.Organization.Length > 0 && !LoginPattern().IsMatch(form.Organization))
        {
            return $"organization: '{form.Organization}' is not a GitHub organization name";
        }

        if (!Uri.TryCreate(form.PublicUrl, UriKind.Absolute, out var publicUrl) || publicUrl.Scheme is not ("http" or "https"))
        {
            return $"publicUrl: '{form.PublicUrl}' is not an http(s) address";
        }

        if (!MasterPattern().IsMatch(form.Master) || form.Master.Contains("travis", StringComparison.OrdinalIgnoreCase) || form.Master.StartsWith("concourse-", StringComparison.OrdinalIgnoreCase))
        {
            return $"master: '{form.Master}' must be letters, digits, '.', '_' or '-', without 'travis' and not starting with 'concourse-' (Deck, Echo and Orca special-case those)";
        }

        var repositories = Repositories(form.Repositories);
        if (repositories.Count == 0)
        {
            return "repositories: name at least one, e.g. acme/api or acme/*";
        }

        return repositories.FirstOrDefault(r => !RepositoryPattern().IsMatch(r)) is { } bad
            ? $"repositories: '{bad}' is not owner/repo or owner/*"
            : null;
    }

    private static List<string> Repositories(string text) =>
        [.. text.Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static IResult Html(HttpContext context, string html, int status, bool csp = true)
    {
        if (csp)
        {
            context.Response.Headers.ContentSecurityPolicy = SetupPages.ContentSecurityPolicy();
        }

        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = new StringValues("no-store");
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")]
    private static partial Regex LoginPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex MasterPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/(?:[A-Za-z0-9._-]{1,100}|\*)$")]
    private static partial Regex RepositoryPattern();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The GitHub App code conversion at {ApiUrl} failed: {Reason}")]
        public static partial void ConversionFailed(ILogger logger, Uri apiUrl, string reason);

        [LoggerMessage(2, LogLevel.Error, "The configuration file {ConfigFile} could not be written: {Reason}")]
        public static partial void WriteFailed(ILogger logger, string configFile, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Setup: GitHub App {Slug} (id {AppId}) written to {ConfigFile}; starting the service on it")]
        public static partial void Configured(ILogger logger, string slug, long appId, string configFile);
    }
}
