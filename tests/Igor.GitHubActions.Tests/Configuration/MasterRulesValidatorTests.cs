using System.Security.Cryptography;
using Igor.GitHubActions.Configuration;

namespace Igor.GitHubActions.Tests.Configuration;

public sealed class MasterRulesValidatorTests
{
    private static readonly string RsaPem = CreateRsaPem();

    private readonly MasterRulesValidator _validator = new();

    private static string CreateRsaPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportRSAPrivateKeyPem();
    }

    private static MasterOptions AppMaster(string name = "github") => new()
    {
        Name = name,
        AppId = "123456",
        PrivateKey = RsaPem,
        Repositories = ["acme/*", "other/api"],
        Permissions = new() { ["READ"] = ["devs"], ["WRITE"] = ["ops"] },
    };

    private static MasterOptions TokenMaster(string name = "github-token") => new()
    {
        Name = name,
        Token = "ghp_example",
        Repositories = ["acme/api"],
    };

    private IReadOnlyList<string> Failures(params MasterOptions[] masters)
    {
        var result = _validator.Validate(null, new GitHubOptions { Masters = [.. masters] });
        return result.Failed ? [.. result.Failures!] : [];
    }

    [Test]
    public void Validate_ValidAppMaster_Succeeds()
    {
        // Act
        var result = _validator.Validate(null, new GitHubOptions { Masters = [AppMaster()] });

        // Assert
        result.Succeeded.Should().BeTrue();
    }

    [Test]
    public void Validate_ValidTokenMaster_Succeeds()
    {
        // Act
        var result = _validator.Validate(null, new GitHubOptions { Masters = [TokenMaster()] });

        // Assert
        result.Succeeded.Should().BeTrue();
    }

    [Test]
    public void Validate_AppAndTokenMastersTogether_Succeeds()
    {
        // Act
        var failures = Failures(AppMaster("a"), TokenMaster("b"));

        // Assert
        failures.Should().BeEmpty();
    }

    [Test]
    public void Validate_Pkcs8PemAndClientId_Succeeds()
    {
        // Arrange
        using var rsa = RSA.Create(2048);
        var master = AppMaster();
        master.AppId = "Iv23liABCDEF";
        master.PrivateKey = rsa.ExportPkcs8PrivateKeyPem();

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().BeEmpty();
    }

    [Test]
    public void Validate_BothAppAndToken_FailsNamingMaster()
    {
        // Arrange
        var master = AppMaster();
        master.Token = "ghp_example";

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should().StartWith("GitHub:Masters:0: ").And.Contain("not both");
    }

    [Test]
    public void Validate_NeitherAppNorToken_FailsNamingMaster()
    {
        // Arrange
        var master = TokenMaster();
        master.Token = "  ";

        // Act
        var failures = Failures(AppMaster("first"), master);

        // Assert
        failures.Should().ContainSingle().Which.Should().StartWith("GitHub:Masters:1: ").And.Contain("not neither");
    }

    [TestCase("12ab")]
    [TestCase("1234567890123")]
    [TestCase("Iv1")]
    [TestCase("iv23liABCDEF")]
    [TestCase("app-123")]
    public void Validate_AppIdNeitherNumericNorClientId_FailsNamingAppId(string appId)
    {
        // Arrange
        var master = AppMaster();
        master.AppId = appId;

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should().StartWith("GitHub:Masters:0:AppId: ");
    }

    [TestCase("123456\n")]
    public void Validate_AppIdWithTrailingNewline_FailsNamingAppId(string appId)
    {
        // Arrange
        var master = AppMaster();
        master.AppId = appId;

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should().StartWith("GitHub:Masters:0:AppId: ");
    }

    [Test]
    public void Validate_BothPrivateKeyAndPath_Fails()
    {
        // Arrange
        var master = AppMaster();
        master.PrivateKeyPath = "/etc/igor/key.pem";

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should().StartWith("GitHub:Masters:0: ").And.Contain("exactly one of PrivateKey");
    }

    [Test]
    public void Validate_AppWithoutPrivateKey_Fails()
    {
        // Arrange
        var master = AppMaster();
        master.PrivateKey = null;

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should().Contain("exactly one of PrivateKey");
    }

    [Test]
    public void Validate_EcPrivateKey_FailsNamingPrivateKeyWithoutKeyMaterial()
    {
        // Arrange
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = ec.ExportECPrivateKeyPem();
        var master = AppMaster();
        master.PrivateKey = pem;

        // Act
        var failures = Failures(master);

        // Assert
        var failure = failures.Should().ContainSingle().Subject;
        failure.Should().StartWith("GitHub:Masters:0:PrivateKey: ").And.Contain("not an RSA private key");
        AssertNoKeyMaterial(failure, pem);
    }

    [Test]
    public void Validate_EcPkcs8PrivateKey_FailsNamingPrivateKeyWithoutKeyMaterial()
    {
        // Arrange
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = ec.ExportPkcs8PrivateKeyPem();
        var master = AppMaster();
        master.PrivateKey = pem;

        // Act
        var failures = Failures(master);

        // Assert
        var failure = failures.Should().ContainSingle().Subject;
        failure.Should().StartWith("GitHub:Masters:0:PrivateKey: ");
        AssertNoKeyMaterial(failure, pem);
    }

    [Test]
    public void Validate_GarbagePrivateKey_FailsWithoutEchoingIt()
    {
        // Arrange
        const string garbage = "s3cr3t-not-a-pem-at-all";
        var master = AppMaster();
        master.PrivateKey = garbage;

        // Act
        var failures = Failures(master);

        // Assert
        var failure = failures.Should().ContainSingle().Subject;
        failure.Should().StartWith("GitHub:Masters:0:PrivateKey: ").And.NotContain(garbage);
    }

    [Test]
    public void Validate_TruncatedRsaPem_FailsWithoutKeyMaterial()
    {
        // Arrange
        var lines = RsaPem.Split('\n');
        var truncated = string.Join('\n', lines.Take(5).Append(lines[^1]));
        var master = AppMaster();
        master.PrivateKey = truncated;

        // Act
        var failures = Failures(master);

        // Assert
        var failure = failures.Should().ContainSingle().Subject;
        failure.Should().StartWith("GitHub:Masters:0:PrivateKey: ");
        AssertNoKeyMaterial(failure, truncated);
    }

    [Test]
    public void Validate_RsaKeyShorterThan2048Bits_Fails()
    {
        // Arrange
        using var small = RSA.Create(1024);
        var master = AppMaster();
        master.PrivateKey = small.ExportRSAPrivateKeyPem();

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should().StartWith("GitHub:Masters:0:PrivateKey: ");
    }

    [Test]
    public void Validate_RsaPublicKey_FailsNamingPrivateKey()
    {
        // Arrange
        using var rsa = RSA.Create(2048);
        var master = AppMaster();
        master.PrivateKey = rsa.ExportSubjectPublicKeyInfoPem();

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should().StartWith("GitHub:Masters:0:PrivateKey: ");
    }

    [Test]
    public void Validate_PrivateKeyPathToMissingFile_FailsNamingPrivateKeyPath()
    {
        // Arrange
        var master = AppMaster();
        master.PrivateKey = null;
        master.PrivateKeyPath = Path.Combine(TestContext.CurrentContext.WorkDirectory, Guid.NewGuid().ToString("N"), "missing.pem");

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should()
            .StartWith("GitHub:Masters:0:PrivateKeyPath: ").And.Contain("cannot be read");
    }

    [Test]
    public void Validate_PrivateKeyPathToRsaPem_Succeeds()
    {
        // Arrange
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, RsaPem);
        try
        {
            var master = AppMaster();
            master.PrivateKey = null;
            master.PrivateKeyPath = path;

            // Act
            var failures = Failures(master);

            // Assert
            failures.Should().BeEmpty();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Validate_PrivateKeyPathToNonPem_FailsNamingPrivateKeyPathWithoutContent()
    {
        // Arrange
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, "secret-content");
        try
        {
            var master = AppMaster();
            master.PrivateKey = null;
            master.PrivateKeyPath = path;

            // Act
            var failures = Failures(master);

            // Assert
            failures.Should().ContainSingle().Which.Should()
                .StartWith("GitHub:Masters:0:PrivateKeyPath: ").And.NotContain("secret-content");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("acme")]
    [TestCase("acme/")]
    [TestCase("acme/api/extra")]
    [TestCase("-acme/api")]
    [TestCase("acme/a b")]
    [TestCase("*/*")]
    [TestCase("acme/api*")]
    public void Validate_BadRepositoryEntry_FailsNamingRepositories(string entry)
    {
        // Arrange
        var master = AppMaster();
        master.Repositories = [entry];

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should().Be($"GitHub:Masters:0:Repositories: '{entry}' is not owner/repo or owner/*");
    }

    [Test]
    public void Validate_NoRepositories_FailsNamingRepositories()
    {
        // Arrange
        var master = TokenMaster();
        master.Repositories = [];

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should().StartWith("GitHub:Masters:0:Repositories: ").And.Contain("at least one");
    }

    [Test]
    public void Validate_OwnerWildcardWithToken_FailsNamingRepositories()
    {
        // Arrange
        var master = TokenMaster();
        master.Repositories = ["acme/api", "acme/*"];

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should()
            .StartWith("GitHub:Masters:0:Repositories: 'acme/*' needs a GitHub App");
    }

    [Test]
    public void Validate_DuplicateNamesIgnoringCase_FailsNamingSecondName()
    {
        // Act
        var failures = Failures(AppMaster("github"), TokenMaster("GitHub"));

        // Assert
        failures.Should().ContainSingle().Which.Should().Be("GitHub:Masters:1:Name: the master name 'GitHub' is used twice");
    }

    [TestCase("travis")]
    [TestCase("travis-ci")]
    [TestCase("my-Travis-ci")]
    [TestCase("concourse-main")]
    public void Validate_NameSpecialCasedBySpinnaker_FailsNamingName(string name)
    {
        // Act
        var failures = Failures(AppMaster(name));

        // Assert
        failures.Should().ContainSingle().Which.Should().StartWith("GitHub:Masters:0:Name: ").And.Contain(name);
    }

    [Test]
    public void Validate_ConcourseNotAsPrefix_Succeeds()
    {
        // Act
        var failures = Failures(AppMaster("my-concourse"));

        // Assert
        failures.Should().BeEmpty();
    }

    [TestCase("read")]
    [TestCase("ADMIN")]
    public void Validate_UnknownPermissionKey_FailsNamingPermissions(string permission)
    {
        // Arrange
        var master = AppMaster();
        master.Permissions[permission] = ["devs"];

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should()
            .Be($"GitHub:Masters:0:Permissions: '{permission}' is not READ, WRITE, EXECUTE or CREATE");
    }

    [TestCase("ftp://github.example.com/api/v3")]
    [TestCase("/api/v3")]
    public void Validate_ApiUrlNotAbsoluteHttp_FailsNamingApiUrl(string url)
    {
        // Arrange
        var master = AppMaster();
        master.ApiUrl = new Uri(url, UriKind.RelativeOrAbsolute);

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should().StartWith("GitHub:Masters:0:ApiUrl: ");
    }

    [Test]
    public void Validate_NullApiUrl_FailsNamingApiUrl()
    {
        // Arrange
        var master = AppMaster();
        master.ApiUrl = null!;

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().ContainSingle().Which.Should().StartWith("GitHub:Masters:0:ApiUrl: ");
    }

    [Test]
    public void Validate_SeveralProblems_AllReported()
    {
        // Arrange
        var master = TokenMaster("travis");
        master.Repositories = ["acme/*"];
        master.Permissions["ADMIN"] = [];

        // Act
        var failures = Failures(master);

        // Assert
        failures.Should().HaveCount(3);
        failures.Should().Contain(f => f.StartsWith("GitHub:Masters:0:Name: ", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("GitHub:Masters:0:Repositories: ", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("GitHub:Masters:0:Permissions: ", StringComparison.Ordinal));
    }

    [Test]
    public void Validate_NoMasters_Succeeds()
    {
        // Act
        var result = _validator.Validate(null, new GitHubOptions());

        // Assert
        result.Succeeded.Should().BeTrue();
    }

    private static void AssertNoKeyMaterial(string failure, string pem)
    {
        var body = pem.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("-----", StringComparison.Ordinal));
        foreach (var line in body)
        {
            failure.Should().NotContain(line);
        }

        failure.Should().NotContain("MII");
    }
}
