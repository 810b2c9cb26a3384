using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Igor.GitHubActions.GitHub.Apps;
using Microsoft.Extensions.Time.Testing;

namespace Igor.GitHubActions.Tests.GitHub;

public sealed class AppJwtFactoryTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private RSA _rsa = null!;

    [OneTimeSetUp]
    public void CreateKey() => _rsa = RSA.Create(2048);

    [OneTimeTearDown]
    public void DisposeKey() => _rsa.Dispose();

    private string Pkcs1Pem => _rsa.ExportRSAPrivateKeyPem();

    private string Pkcs8Pem => _rsa.ExportPkcs8PrivateKeyPem();

    private static JsonElement DecodePart(string part)
    {
        using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(part));
        return document.RootElement.Clone();
    }

    private bool SignatureValid(string jwt)
    {
        var parts = jwt.Split('.');
        var signingInput = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
        return _rsa.VerifyData(signingInput, Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    [Test]
    public void Create_Pkcs1Key_SignatureVerifiesWithPublicKey()
    {
        // Arrange
        using var factory = new AppJwtFactory("123456", Pkcs1Pem, new FakeTimeProvider(Now));

        // Act
        var jwt = factory.Create(Now);

        // Assert
        jwt.Split('.').Should().HaveCount(3);
        SignatureValid(jwt).Should().BeTrue();
    }

    [Test]
    public void Create_Pkcs8Key_SignatureVerifiesWithPublicKey()
    {
        // Arrange
        using var factory = new AppJwtFactory("123456", Pkcs8Pem, new FakeTimeProvider(Now));

        // Act
        var jwt = factory.Create(Now);

        // Assert
        SignatureValid(jwt).Should().BeTrue();
    }

    [Test]
    public void Create_OtherKey_SignatureDoesNotVerify()
    {
        // Arrange
        using var other = RSA.Create(2048);
        using var factory = new AppJwtFactory("123456", other.ExportRSAPrivateKeyPem(), new FakeTimeProvider(Now));

        // Act
        var jwt = factory.Create(Now);

        // Assert
        SignatureValid(jwt).Should().BeFalse();
    }

    [Test]
    public void Create_Header_Rs256Jwt()
    {
        // Arrange
        using var factory = new AppJwtFactory("123456", Pkcs1Pem, new FakeTimeProvider(Now));

        // Act
        var header = DecodePart(factory.Create(Now).Split('.')[0]);

        // Assert
        header.GetProperty("alg").GetString().Should().Be("RS256");
        header.GetProperty("typ").GetString().Should().Be("JWT");
    }

    [Test]
    public void Create_Payload_BackdatedTenMinuteLifetime()
    {
        // Arrange
        using var factory = new AppJwtFactory("123456", Pkcs1Pem, new FakeTimeProvider(Now));

        // Act
        var payload = DecodePart(factory.Create(Now).Split('.')[1]);

        // Assert
        var iat = payload.GetProperty("iat").GetInt64();
        var exp = payload.GetProperty("exp").GetInt64();
        iat.Should().Be(Now.ToUnixTimeSeconds() - 60);
        (exp - iat).Should().Be(600);
        exp.Should().BeLessThanOrEqualTo(Now.AddMinutes(10).ToUnixTimeSeconds());
    }

    [Test]
    public void Create_NumericAppId_IssuerIsJsonNumber()
    {
        // Arrange
        using var factory = new AppJwtFactory("123456", Pkcs1Pem, new FakeTimeProvider(Now));

        // Act
        var payload = DecodePart(factory.Create(Now).Split('.')[1]);

        // Assert
        var iss = payload.GetProperty("iss");
        iss.ValueKind.Should().Be(JsonValueKind.Number);
        iss.GetInt64().Should().Be(123456);
    }

    [TestCase("Iv23liABCDEF")]
    [TestCase("Iv1.0123456789abcdef")]
    public void Create_ClientId_IssuerIsJsonString(string clientId)
    {
        // Arrange
        using var factory = new AppJwtFactory(clientId, Pkcs1Pem, new FakeTimeProvider(Now));

        // Act
        var payload = DecodePart(factory.Create(Now).Split('.')[1]);

        // Assert
        var iss = payload.GetProperty("iss");
        iss.ValueKind.Should().Be(JsonValueKind.String);
        iss.GetString().Should().Be(clientId);
    }

    [Test]
    public void Create_Parts_Base64UrlWithoutPadding()
    {
        // Arrange
        using var factory = new AppJwtFactory("123456", Pkcs1Pem, new FakeTimeProvider(Now));

        // Act
        var jwt = factory.Create(Now);

        // Assert
        jwt.Should().MatchRegex("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$");
    }

    [Test]
    public void GetJwt_WithinFiveMinutes_SameToken()
    {
        // Arrange
        var time = new FakeTimeProvider(Now);
        using var factory = new AppJwtFactory("123456", Pkcs1Pem, time);
        var first = factory.GetJwt();

        // Act
        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var second = factory.GetJwt();

        // Assert
        second.Should().Be(first);
    }

    [Test]
    public void GetJwt_AfterFiveMinutes_NewTokenIssuedNow()
    {
        // Arrange
        var time = new FakeTimeProvider(Now);
        using var factory = new AppJwtFactory("123456", Pkcs1Pem, time);
        var first = factory.GetJwt();

        // Act
        time.Advance(TimeSpan.FromMinutes(5));
        var second = factory.GetJwt();

        // Assert
        second.Should().NotBe(first);
        DecodePart(second.Split('.')[1]).GetProperty("iat").GetInt64()
            .Should().Be(Now.AddMinutes(5).ToUnixTimeSeconds() - 60);
        SignatureValid(second).Should().BeTrue();
    }

    [Test]
    public void GetJwt_First_IssuedAtProviderTime()
    {
        // Arrange
        using var factory = new AppJwtFactory("123456", Pkcs1Pem, new FakeTimeProvider(Now));

        // Act
        var payload = DecodePart(factory.GetJwt().Split('.')[1]);

        // Assert
        payload.GetProperty("iat").GetInt64().Should().Be(Now.ToUnixTimeSeconds() - 60);
    }

    [Test]
    public void Constructor_NotAPem_Throws()
    {
        // Act
        var act = () => new AppJwtFactory("123456", "not a key", new FakeTimeProvider(Now));

        // Assert
        act.Should().Throw<ArgumentException>();
    }
}
