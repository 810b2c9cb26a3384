using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>
/// Spinnaker Fiat on loopback, as far as Igor sees it: <c>GET /authorize/{user}</c> answers a UserPermission view
/// with the build services granted to the user; an unknown user gets 404. It counts reads and can fail while "down".
/// </summary>
public sealed class FakeFiat : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (bool Admin, Dictionary<string, string[]> BuildServices)> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _reads = new();

    private FakeFiat(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>While set, every request is answered with this status.</summary>
    public int? FailWith { get; set; }

    /// <summary>How long each authorization read takes (a slow Fiat); real time.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The users asked for, in order.</summary>
    public IReadOnlyList<string> Reads => [.. _reads];

    public static async Task<FakeFiat> StartAsync()
    {
        FakeFiat? fiat = null;
        var (_, address) = await LoopbackApp.StartAsync(app =>
        {
            fiat = new FakeFiat(app);
            app.MapGet("/authorize/{user}", (string user, HttpContext context) => fiat.AuthorizeAsync(user, context.RequestAborted));
        });
        fiat!.BaseAddress = address;
        return fiat;
    }

    /// <summary>Grants <paramref name="user"/> the authorizations (READ, WRITE) on a build service.</summary>
    public FakeFiat Grant(string user, string buildService, params string[] authorizations)
    {
        var entry = _users.GetOrAdd(user, _ => (false, new Dictionary<string, string[]>(StringComparer.Ordinal)));
        lock (entry.BuildServices)
        {
            entry.BuildServices[buildService] = authorizations;
        }

        return this;
    }

    public FakeFiat Admin(string user)
    {
        _users[user] = (true, new Dictionary<string, string[]>(StringComparer.Ordinal));
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> AuthorizeAsync(string user, CancellationToken cancellationToken)
    {
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        return Authorize(user);
    }

    private IResult Authorize(string user)
    {
        _reads.Enqueue(user);
        if (FailWith is { } status)
        {
            return Results.StatusCode(status);
        }

        // Fiat maps "anonymous" to its unrestricted user, who always exists: it sees the unrestricted resources only.
        if (!_users.TryGetValue(user, out var entry) && user == "anonymous")
        {
            entry = (false, new Dictionary<string, string[]>(StringComparer.Ordinal));
        }
        else if (entry.BuildServices is null)
        {
            return Results.Json(new { error = "Not Found", message = "user not found" }, statusCode: 404);
        }

        JsonArray services;
        lock (entry.BuildServices)
        {
            services = [.. entry.BuildServices.Select(s => (JsonNode)new JsonObject { ["name"] = s.Key, ["authorizations"] = new JsonArray([.. s.Value.Select(a => (JsonNode)a)]) })];
        }

        return Results.Text(new JsonObject
        {
            ["name"] = user,
            ["accounts"] = new JsonArray(),
            ["applications"] = new JsonArray(),
            ["serviceAccounts"] = new JsonArray(),
            ["roles"] = new JsonArray(),
            ["buildServices"] = services,
            ["extensionResources"] = new JsonObject(),
            ["admin"] = entry.Admin,
            ["legacyFallback"] = false,
            ["allowAccessToUnknownApplications"] = false,
        }.ToJsonString(), "application/json");
    }
}
