using Igor.GitHubActions.Configuration;

namespace Igor.GitHubActions.Tests.Configuration;

public sealed class GitHubOptionsValidatorTests
{
    private readonly GitHubOptionsValidator _validator = new();

    private static MasterOptions Master(string name) => new() { Name = name, Token = "ghp_example", Repositories = ["acme/api"] };

    [Test]
    public void Validate_Defaults_Succeed()
    {
        // Act
        var result = _validator.Validate(GitHubOptions.SectionName, new GitHubOptions { Masters = [Master("github")] });

        // Assert
        result.Succeeded.Should().BeTrue();
    }

    [TestCase("a")]
    [TestCase("github.com_main-2")]
    public void Validate_ValidMasterName_Succeeds(string name)
    {
        // Act
        var result = _validator.Validate(GitHubOptions.SectionName, new GitHubOptions { Masters = [Master(name)] });

        // Assert
        result.Succeeded.Should().BeTrue();
    }

    [TestCase("bad name")]
    [TestCase("-github")]
    [TestCase("github/x")]
    [TestCase("github\n")]
    public void Validate_InvalidMasterName_FailsOnName(string name)
    {
        // Act
        var result = _validator.Validate(GitHubOptions.SectionName, new GitHubOptions { Masters = [Master(name)] });

        // Assert
        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should().StartWith("Name: ").And.Contain("a master name is 1-64");
    }

    [Test]
    public void Validate_MasterNameLongerThan64_Fails()
    {
        // Act
        var result = _validator.Validate(GitHubOptions.SectionName, new GitHubOptions { Masters = [Master(new string('a', 65))] });

        // Assert
        result.Failed.Should().BeTrue();
    }

    [Test]
    public void Validate_InvalidMasterName_MessageNamesWhichMaster()
    {
        // Act
        var result = _validator.Validate(GitHubOptions.SectionName, new GitHubOptions { Masters = [Master("ok"), Master("bad name")] });

        // Assert
        result.Failures.Should().ContainSingle().Which.Should().Contain("Masters[1]");
    }

    [Test]
    public void Validate_EmptyMasterName_FailsNamingMaster()
    {
        // Act
        var result = _validator.Validate(GitHubOptions.SectionName, new GitHubOptions { Masters = [Master("ok"), Master("")] });

        // Assert
        result.Failures.Should().ContainSingle().Which.Should().Contain("GitHub.Masters[1].Name").And.Contain("required");
    }

    [Test]
    public void Validate_NullApiUrl_FailsNamingApiUrl()
    {
        // Arrange
        var master = Master("github");
        master.ApiUrl = null!;

        // Act
        var result = _validator.Validate(GitHubOptions.SectionName, new GitHubOptions { Masters = [master] });

        // Assert
        result.Failures.Should().ContainSingle().Which.Should().Contain("GitHub.Masters[0].ApiUrl");
    }

    [Test]
    public void Validate_OutOfRangeDurations_EachNamed()
    {
        // Arrange
        var options = new GitHubOptions
        {
            WorkflowCacheDuration = TimeSpan.FromHours(2),
            TokenRenewalMargin = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromMinutes(10),
            ApiVersion = "",
        };

        // Act
        var result = _validator.Validate(GitHubOptions.SectionName, options);

        // Assert
        result.Failures.Should().HaveCount(4);
        result.Failures.Should().Contain(f => f.Contains("GitHub.WorkflowCacheDuration", StringComparison.Ordinal));
        result.Failures.Should().Contain(f => f.Contains("GitHub.TokenRenewalMargin", StringComparison.Ordinal));
        result.Failures.Should().Contain(f => f.Contains("GitHub.RequestTimeout", StringComparison.Ordinal));
        result.Failures.Should().Contain(f => f.Contains("GitHub.ApiVersion", StringComparison.Ordinal));
    }

    [Test]
    public void Validate_BoundaryDurations_Succeed()
    {
        // Arrange
        var options = new GitHubOptions
        {
            WorkflowCacheDuration = TimeSpan.Zero,
            TokenRenewalMargin = TimeSpan.FromMinutes(30),
            RequestTimeout = TimeSpan.FromSeconds(1),
        };

        // Act
        var result = _validator.Validate(GitHubOptions.SectionName, options);

        // Assert
        result.Succeeded.Should().BeTrue();
    }
}
