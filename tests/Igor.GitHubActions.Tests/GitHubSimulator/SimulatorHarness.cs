using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Igor.GitHubActions.Tests.GitHubSimulator;

/// <summary>A started simulator with one App installed on <c>acme</c>, a repository <c>acme/api</c>, and a plain HttpClient.</summary>
internal sealed class SimulatorHarness : IAsyncDisposable
{
    public const long AppId = 424242;
    public const string ClientId = "Iv23liSimulated";

    private SimulatorHarness(global::Igor.GitHubActions.Testing.GitHubSimulator sim, FakeTimeProvider time)
    {
        Sim = sim;
        Time = time;
        App = sim.CreateApp(AppId, ClientId);
        InstallationId = App.Install("acme");
        Repo = sim.AddRepository("acme", "api");
        Http = NewClient(sim.BaseAddress, allowRedirect: false);
    }

    public global::Igor.GitHubActions.Testing.GitHubSimulator Sim { get; }

    public FakeTimeProvider Time { get; }

    public SimulatedApp App { get; }

    public long InstallationId { get; }

    public SimulatedRepository Repo { get; }

    public HttpClient Http { get; }

    public static async Task<SimulatorHarness> StartAsync(Action<GitHubSimulatorOptions>? configure = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
        var options = new GitHubSimulatorOptions { TimeProvider = time };
        configure?.Invoke(options);
        return new SimulatorHarness(await global::Igor.GitHubActions.Testing.GitHubSimulator.StartAsync(options), time);
    }

    public static HttpClient NewClient(Uri baseAddress, bool allowRedirect)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = allowRedirect }) { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
        client.DefaultRequestHeaders.UserAgent.ParseAdd("igor-tests/1.0");
        client.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
        return client;
    }

    /// <summary>An RS256 App JWT signed with <paramref name="privateKeyPem"/>.</summary>
    public static string Jwt(string privateKeyPem, object issuer, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        var header = Base64Url.EncodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"u8);
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
            ["iss"] = issuer,
        }));
        var signature = rsa.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>A valid JWT as GitHub recommends: iat 60 s in the past, exp 9 minutes ahead, iss = client id.</summary>
    public string AppJwt()
    {
        var now = Time.GetUtcNow();
        return Jwt(App.PrivateKeyPem, ClientId, now.AddSeconds(-60), now.AddMinutes(9));
    }

    public async Task<string> InstallationTokenAsync(long? installationId = null, object? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"app/installations/{installationId ?? InstallationId}/access_tokens");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AppJwt());
        if (body is not null)
        {
            request.Content = JsonContent(body);
        }

        using var response = await Http.SendAsync(request);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await ReadJsonAsync(response))["token"]!.GetValue<string>();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = body as HttpContent ?? JsonContent(body);
        }

        configure?.Invoke(request);
        return await Http.SendAsync(request);
    }

    public static StringContent JsonContent(object body) =>
        new(body is string s ? s : JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("null JSON");

    public static async Task<string> MessageAsync(HttpResponseMessage response) =>
        (await ReadJsonAsync(response))["message"]!.GetValue<string>();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Sim.DisposeAsync();
    }
}
