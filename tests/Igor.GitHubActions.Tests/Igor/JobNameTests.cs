using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.Tests.Igor;

public sealed class JobNameTests
{
    [TestCase("acme/api/build.yml", "acme", "api", "build.yml")]
    [TestCase("acme/api/deploy.yaml", "acme", "api", "deploy.yaml")]
    [TestCase("acme/api/BUILD.YML", "acme", "api", "BUILD.YML")]
    [TestCase("acme/api/my build.yml", "acme", "api", "my build.yml")]
    [TestCase("acme/api/déploiement-prod-ü.yml", "acme", "api", "déploiement-prod-ü.yml")]
    [TestCase("acme/my.repo_name-2/build.yml", "acme", "my.repo_name-2", "build.yml")]
    [TestCase("a/b/c.yml", "a", "b", "c.yml")]
    [TestCase("Acme-Corp/.github/ci.yml", "Acme-Corp", ".github", "ci.yml")]
    public void Parse_ValidName_ReturnsParts(string value, string owner, string repository, string file)
    {
        // Act
        var job = JobName.Parse(value);

        // Assert
        job.Owner.Should().Be(owner);
        job.Repository.Should().Be(repository);
        job.WorkflowFile.Should().Be(file);
        job.FullRepository.Should().Be($"{owner}/{repository}");
        job.ToString().Should().Be(value);
    }

    [TestCase(null)]
    [TestCase("")]
    public void TryParse_Missing_ErrorSaysMissing(string? value)
    {
        // Act
        var ok = JobName.TryParse(value, out var job, out var error);

        // Assert
        ok.Should().BeFalse();
        job.Should().BeNull();
        error.Should().Contain("missing").And.Contain("owner/repo/workflow.yml");
    }

    [TestCase("acme/build.yml")]
    [TestCase("acme/api/sub/build.yml")]
    [TestCase("build.yml")]
    public void TryParse_WrongNumberOfParts_ErrorSaysThreeParts(string value)
    {
        // Act
        var ok = JobName.TryParse(value, out _, out var error);

        // Assert
        ok.Should().BeFalse();
        error.Should().Contain($"'{value}'").And.Contain("three parts");
    }

    [Test]
    public void TryParse_DotDotRepository_ErrorNamesRepository()
    {
        // Act
        var ok = JobName.TryParse("acme/../build.yml", out _, out var error);

        // Assert
        ok.Should().BeFalse();
        error.Should().Be("'..' is not a GitHub repository name");
    }

    [Test]
    public void TryParse_DotRepository_ErrorNamesRepository()
    {
        // Act
        var ok = JobName.TryParse("acme/./build.yml", out _, out var error);

        // Assert
        ok.Should().BeFalse();
        error.Should().Contain("is not a GitHub repository name");
    }

    [Test]
    public void TryParse_DotDotFile_ErrorNamesWorkflowFile()
    {
        // Act
        var ok = JobName.TryParse("acme/api/..", out _, out var error);

        // Assert
        ok.Should().BeFalse();
        error.Should().StartWith("'..' is not a workflow file name");
    }

    [TestCase("acme/api/build\n.yml")]
    [TestCase("acme/api/build.yml\n")]
    [TestCase("acme\t/api/build.yml")]
    [TestCase("acme/api\u0000/build.yml")]
    public void TryParse_ControlCharacters_ErrorSaysControlCharacters(string value)
    {
        // Act
        var ok = JobName.TryParse(value, out _, out var error);

        // Assert
        ok.Should().BeFalse();
        error.Should().Contain("control characters");
    }

    [Test]
    public void TryParse_TooLong_Refused()
    {
        // Arrange
        var value = "acme/api/" + new string('a', 400) + ".yml";

        // Act
        var ok = JobName.TryParse(value, out _, out var error);

        // Assert
        ok.Should().BeFalse();
        error.Should().Contain("too long");
    }

    [TestCase("ac_me")]
    [TestCase("-acme")]
    [TestCase("ac.me")]
    [TestCase("ac me")]
    [TestCase("acmé")]
    public void TryParse_OwnerWithIllegalCharacters_ErrorNamesOwner(string owner)
    {
        // Act
        var ok = JobName.TryParse($"{owner}/api/build.yml", out _, out var error);

        // Assert
        ok.Should().BeFalse();
        error.Should().Be($"'{owner}' is not a GitHub owner name");
    }

    [Test]
    public void TryParse_OwnerLongerThan39Characters_ErrorNamesOwner()
    {
        // Arrange
        var owner = new string('a', 40);

        // Act
        var ok = JobName.TryParse($"{owner}/api/build.yml", out _, out var error);

        // Assert
        ok.Should().BeFalse();
        error.Should().Contain("owner");
    }

    [TestCase("ap i")]
    [TestCase("api@2")]
    public void TryParse_RepositoryWithIllegalCharacters_ErrorNamesRepository(string repository)
    {
        // Act
        var ok = JobName.TryParse($"acme/{repository}/build.yml", out _, out var error);

        // Assert
        ok.Should().BeFalse();
        error.Should().Be($"'{repository}' is not a GitHub repository name");
    }

    [TestCase("build.json")]
    [TestCase("build")]
    [TestCase("build.yml.txt")]
    [TestCase(".yml.bak")]
    public void TryParse_FileNotEndingInYml_ErrorNamesWorkflowFile(string file)
    {
        // Act
        var ok = JobName.TryParse($"acme/api/{file}", out _, out var error);

        // Assert
        ok.Should().BeFalse();
        error.Should().StartWith($"'{file}' is not a workflow file name").And.Contain(".yml or .yaml");
    }

    [Test]
    public void TryParse_EmptyFile_ErrorNamesWorkflowFile()
    {
        // Act
        var ok = JobName.TryParse("acme/api/", out _, out var error);

        // Assert
        ok.Should().BeFalse();
        error.Should().Contain("is not a workflow file name");
    }

    [Test]
    public void TryParse_BackslashInFile_ErrorNamesWorkflowFile()
    {
        // Act
        var ok = JobName.TryParse(@"acme/api/sub\build.yml", out _, out var error);

        // Assert
        ok.Should().BeFalse();
        error.Should().StartWith(@"'sub\build.yml' is not a workflow file name");
    }

    [Test]
    public void TryCreate_PartContainingSlash_Refused()
    {
        // Act
        var ok = JobName.TryCreate("acme", "api", "sub/build.yml", out var job, out var error);

        // Assert
        ok.Should().BeFalse();
        job.Should().BeNull();
        error.Should().Contain("is not a workflow file name");
    }

    [Test]
    public void TryCreate_RepositoryContainingSlash_Refused()
    {
        // Act
        var ok = JobName.TryCreate("acme", "api/x", "build.yml", out _, out var error);

        // Assert
        ok.Should().BeFalse();
        error.Should().Be("'api/x' is not a GitHub repository name");
    }

    [TestCase("acme\n", "api", "build.yml")]
    [TestCase("acme", "api\n", "build.yml")]
    public void TryCreate_OwnerOrRepositoryEndingInNewline_Refused(string owner, string repository, string file)
    {
        // Act
        var ok = JobName.TryCreate(owner, repository, file, out var job, out _);

        // Assert
        ok.Should().BeFalse();
        job.Should().BeNull();
    }

    [Test]
    public void Parse_Invalid_ThrowsBadRequestWithError()
    {
        // Act
        var act = () => JobName.Parse("acme/api");

        // Assert
        act.Should().Throw<IgorException>()
            .Where(e => e.StatusCode == 400)
            .WithMessage("*three parts*");
    }
}
