using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Igor.GitHubActions.Tests.Security;

/// <summary>Security:ClientCertificates: the Igor API over HTTPS only for clients with a certificate from the trusted CA.</summary>
[CancelAfter(120_000)]
public sealed class MutualTlsTests : ScenarioTest
{
    private X509Certificate2 _authority = null!;
    private X509Certificate2 _server = null!;

    protected override async Task ConfigureAsync(GitHubScenario scenario)
    {
        _authority = CreateAuthority("CN=Spinnaker internal CA");
        _server = CreateSelfSigned("CN=localhost");
        var caPath = Path.Combine(scenario.DataDirectory, "ca.pem");
        await File.WriteAllTextAsync(caPath, _authority.ExportCertificatePem());
        scenario.Settings["Security:ClientCertificates:Required"] = "true";
        scenario.Settings["Security:ClientCertificates:TrustedCaPath"] = caPath;
        scenario.Settings["GitHub:WebhookSecret"] = GitHubScenario.WebhookSecret;
        scenario.ConfigureService = builder => builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.UseHttps(_server)));
    }

    [TearDown]
    public void DisposeFixtures()
    {
        _authority.Dispose();
        _server.Dispose();
    }

    [Test]
    public async Task IgorApi_WithCertificateFromTheTrustedCa_Answers()
    {
        using var client = Client(Issue(_authority, "CN=orca"));

        using var response = await client.GetAsync("jobs/" + GitHubScenario.Master);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task IgorApi_WithoutCertificate_Is401()
    {
        using var client = Client(null);

        using var response = await client.GetAsync("jobs/" + GitHubScenario.Master);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Contain("client certificate");
    }

    [Test]
    public async Task IgorApi_WithCertificateFromAnotherCa_FailsTheHandshake()
    {
        using var stranger = CreateAuthority("CN=Someone else");
        using var client = Client(Issue(stranger, "CN=mallory"));

        var call = () => client.GetAsync("jobs/" + GitHubScenario.Master);

        await call.Should().ThrowAsync<HttpRequestException>();
    }

    [Test]
    public async Task WebhookAndHealth_WithoutCertificate_StillAnswer()
    {
        using var client = Client(null);

        using var webhook = await WebhookSigner.PostAsync(client, "ping", "{\"zen\":\"x\"}", GitHubScenario.WebhookSecret);
        using var health = await client.GetAsync("health");

        webhook.StatusCode.Should().Be(HttpStatusCode.Accepted);
        health.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private HttpClient Client(X509Certificate2? certificate)
    {
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == _server.Thumbprint };
        if (certificate is not null)
        {
            handler.ClientCertificateOptions = ClientCertificateOption.Manual;
            handler.ClientCertificates.Add(certificate);
        }

        return new HttpClient(handler) { BaseAddress = Scenario.Service!.BaseAddress };
    }

    private static X509Certificate2 CreateAuthority(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = TimeProvider.System.GetUtcNow();
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    private static X509Certificate2 CreateSelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = TimeProvider.System.GetUtcNow();
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = TimeProvider.System.GetUtcNow();
        using var issued = request.Create(authority, now.AddDays(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }
}
