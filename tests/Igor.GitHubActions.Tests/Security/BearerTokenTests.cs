using System.Net;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Tests.Security;

/// <summary>Security:BearerTokens: the Igor API answers only callers with a token; webhooks, health and metrics stay open.</summary>
[CancelAfter(120_000)]
public sealed class BearerTokenTests : ScenarioTest
{
    internal const string Token = "b3f1c2d4e5f60718293a4b5c6d7e8f90";
    internal const string SecondToken = "0f9e8d7c6b5a49382716f5e4d3c2b1a0";

    protected override Task ConfigureAsync(GitHubScenario scenario)
    {
        scenario.Settings["Security:BearerTokens:0"] = Token;
        scenario.Settings["Security:BearerTokens:1"] = SecondToken;
        scenario.Settings["GitHub:WebhookSecret"] = GitHubScenario.WebhookSecret;
        return Task.CompletedTask;
    }

    [TestCase(null)]
    [TestCase("Bearer wrong-token-of-some-length")]
    [TestCase("Bearer " + Token + "x")]
    [TestCase("Basic " + Token)]
    [TestCase(Token)]
    public async Task IgorApi_WithoutAValidToken_Is401(string? authorization)
    {
        using var response = await SendAsync("jobs/" + GitHubScenario.Master, authorization);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
        (await response.Content.ReadAsStringAsync()).Should().Contain("Security:BearerTokens").And.NotContain(Token);
        Scenario.GitHub.Requests.Should().BeEmpty();
    }

    [TestCase(Token)]
    [TestCase(SecondToken)]
    public async Task IgorApi_WithAConfiguredToken_Answers(string token)
    {
        using var response = await SendAsync("jobs/" + GitHubScenario.Master, "Bearer " + token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [TestCase("health")]
    [TestCase("metrics")]
    public async Task HealthAndMetrics_WithoutToken_StayOpen(string path)
    {
        using var response = await SendAsync(path, null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task Webhook_WithoutToken_IsAuthenticatedBySignatureOnly()
    {
        using var signed = await WebhookSigner.PostAsync(Scenario.Client, "ping", "{\"zen\":\"Keep it logically awesome.\"}", GitHubScenario.WebhookSecret);
        using var unsigned = await WebhookSigner.PostAsync(Scenario.Client, "ping", "{\"zen\":\"x\"}", secret: null);

        signed.StatusCode.Should().Be(HttpStatusCode.Accepted);
        unsigned.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await unsigned.Content.ReadAsStringAsync()).Should().Contain("X-Hub-Signature-256");
    }

    [Test]
    public async Task Start_ShortToken_IsRefused()
    {
        Scenario.Settings["Security:BearerTokens:0"] = "short";

        var start = () => Scenario.RestartServiceAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("at least 16 characters");
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await Scenario.Client.SendAsync(request);
    }
}
