namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>Locations the tests use: a scratch folder per test, and the shared fixtures beside the clone.</summary>
public static class TestPaths
{
    public static string NewScratchDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "igor-gha-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>../shared/fixtures/github-webhooks when it exists (beside the clone), else null.</summary>
    public static string? SharedWebhookFixtures()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "github-webhooks");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A golden payload of the project's own test data (<c>Payloads/{event}/{action}.json</c>, copied beside the tests).</summary>
    public static string GoldenPayload(string relativePath) =>
        File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Payloads", relativePath));

    /// <summary>The repository root (the folder with the solution file).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Igor.GitHubActions.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Igor.GitHubActions.slnx) was not found above the test directory");
    }
}
