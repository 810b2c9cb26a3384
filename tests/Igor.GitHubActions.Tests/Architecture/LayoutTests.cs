using System.Text.RegularExpressions;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Architecture;

/// <summary>
/// The shape issue 15 promised, held: the README's layout names folders and types that exist, no class (partials
/// counted together) grows past 400 lines, no store port past 10 members, Igor's port at most 12, and no HTTP status
/// code is decided inside <c>GitHub/</c>.
/// </summary>
public sealed partial class LayoutTests
{
    private static string Source => Path.Combine(TestPaths.RepositoryRoot(), "src", "Igor.GitHubActions");

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string ReadmeLayout()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## Development", StringComparison.Ordinal)..];
        var start = section.IndexOf("```", StringComparison.Ordinal) + 3;
        return section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
    }

    [Test]
    public void ReadmeLayout_EveryTypeItNames_IsAFileOfTheService()
    {
        var files = SourceFiles().Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        var named = TypeName().Matches(ReadmeLayout()).Select(m => m.Groups[1].Value).Distinct().ToArray();

        named.Should().NotBeEmpty();
        named.Should().OnlyContain(n => files.Contains(n), "the README's layout names only types that exist");
    }

    [Test]
    public void ReadmeLayout_EveryGitHubAndStateFolderItNames_Exists()
    {
        var folders = FolderName().Matches(ReadmeLayout()).Select(m => m.Groups[1].Value).ToArray();

        folders.Should().Contain(["Endpoints", "Http", "Queue", "Client", "Jobs", "Dispatch", "Runs", "Outputs", "Apps", "Handlers", "Sqlite", "Redis"]);
        var directories = Directory.EnumerateDirectories(Source, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        folders.Should().OnlyContain(f => directories.Contains(f), "the README's layout names only folders that exist");
    }

    [Test]
    public void SharedTarget_EveryTypeAndFolderItSketches_ExistsOrIsADifferenceTheReadmeGives()
    {
        var shared = Path.Combine(TestPaths.RepositoryRoot(), "..", "shared", "reference", "architecture-target.md");
        if (!File.Exists(shared))
        {
            // The repository's own promise is checked above; ../shared is the team's, beside the clone in CI.
            Environment.GetEnvironmentVariable("CI").Should().NotBe("true", "CI has ../shared beside the clone");
            return;
        }

        var text = File.ReadAllText(shared);
        var start = text.IndexOf("```", text.IndexOf("## Target layout", StringComparison.Ordinal), StringComparison.Ordinal) + 3;
        var sketch = string.Join('\n', text[start..text.IndexOf("```", start, StringComparison.Ordinal)]
            .Split('\n').Where(l => !l.Contains("kinds:", StringComparison.Ordinal)));
        var files = Directory.EnumerateFiles(TestPaths.RepositoryRoot(), "*.cs", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot(), "README.md"));
        var differences = readme[readme.IndexOf("Where the code differs from the target's sketch", StringComparison.Ordinal)..];

        var types = SketchedType().Matches(sketch).Select(m => m.Groups[1].Value).Distinct().ToArray();
        types.Should().Contain(["IBuildService", "WorkflowDispatcher", "RepositoryAllowlist"]);
        types.Where(n => !files.Contains(n)).Should().OnlyContain(
            n => differences.Contains($"`{n}`", StringComparison.Ordinal), "a type the target sketches exists, or the README says why not");

        var folders = FolderName().Matches(sketch).Select(m => m.Groups[1].Value).Distinct().ToArray();
        folders.Should().Contain(["Endpoints", "Http", "Queue", "Client", "Handlers"]);
        var directories = Directory.EnumerateDirectories(TestPaths.RepositoryRoot(), "*", SearchOption.AllDirectories)
            .Where(d => !d.Contains($"{Path.DirectorySeparatorChar}.git", StringComparison.Ordinal))
            .Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        folders.Should().OnlyContain(f => directories.Contains(f), "every folder the target sketches exists");

        // The paths at the start of a line: src/Igor.GitHubActions/, tests/.../State/Contracts/, testing/Igor.GitHubActions.Testing/.
        var paths = sketch.Split('\n').Select(l => l.Split(' ')[0]).Where(p => p.EndsWith('/')).ToArray();
        paths.Should().HaveCountGreaterThanOrEqualTo(3);
        paths.Should().OnlyContain(p => Directory.Exists(Path.Combine(TestPaths.RepositoryRoot(), p)), "every project path the target sketches exists");
    }

    [Test]
    public void NoClass_PartialsCountedTogether_IsOver400Lines()
    {
        var lines = SourceFiles()
            .Select(p => (Text: File.ReadAllText(p), Path: p))
            .Select(f => (Type: TypeDeclaration().Match(f.Text) is { Success: true } m ? m.Groups[1].Value : null, Lines: f.Text.Count(c => c == '\n')))
            .Where(f => f.Type is not null)
            .GroupBy(f => f.Type!)
            .ToDictionary(g => g.Key, g => g.Sum(f => f.Lines));

        lines.Should().NotBeEmpty();
        lines.Where(l => l.Value > 400).Select(l => $"{l.Key}: {l.Value}").Should().BeEmpty();
    }

    [Test]
    public void Ports_StayNarrow()
    {
        Members("Igor", "IBuildService.cs").Should().BeLessThanOrEqualTo(12);
        foreach (var port in Directory.EnumerateFiles(Path.Combine(Source, "State"), "I*.cs"))
        {
            Members("State", Path.GetFileName(port)).Should().BeLessThanOrEqualTo(10, Path.GetFileName(port));
        }
    }

    [Test]
    public void GitHubFolder_DecidesNoHttpStatus()
    {
        var offenders = SourceFiles()
            .Where(p => p.Contains($"{Path.DirectorySeparatorChar}GitHub{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(p => File.ReadLines(p).Any(l => !l.TrimStart().StartsWith("///", StringComparison.Ordinal) && l.Contains("StatusCodes.", StringComparison.Ordinal)))
            .Select(Path.GetFileName)
            .ToArray();

        offenders.Should().BeEmpty("a GitHub failure is a GitHubException with a kind; IgorStatusMap decides the status");
    }

    [Test]
    public void RepositoryAllowlist_IsTheOnlyAllowlistRule()
    {
        // The "owner/*" wildcard is interpreted in one place.
        var interpreting = SourceFiles()
            .Where(p => File.ReadAllText(p).Contains("\"/*\", StringComparison", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToArray();

        interpreting.Should().BeEquivalentTo(["RepositoryAllowlist.cs", "MasterRulesValidator.cs"], "the validator checks the entries' form only");
    }

    /// <summary>Members of an interface: its lines ending a declaration (a property's <c>{ get; }</c> or a method's <c>;</c>).</summary>
    private static int Members(string folder, string file) =>
        File.ReadLines(Path.Combine(Source, folder, file))
            .Select(l => l.Trim())
            .Count(l => !l.StartsWith("//", StringComparison.Ordinal) && !l.StartsWith("using", StringComparison.Ordinal) &&
                        !l.StartsWith("namespace", StringComparison.Ordinal) && (l.EndsWith(");", StringComparison.Ordinal) || l.EndsWith("{ get; }", StringComparison.Ordinal)));

    /// <summary>A type the sketch names: a PascalCase word of two parts or more (<c>RunReader</c>, <c>IQueueItems</c>).</summary>
    [GeneratedRegex(@"(?<![\w.*/<])(I?[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)(?:\.cs)?\b(?!/)")]
    private static partial Regex SketchedType();

    [GeneratedRegex(@"(?<![*\w])([A-Z]\w+)\.cs\b")]
    private static partial Regex TypeName();

    [GeneratedRegex(@"[─ ]([A-Z][A-Za-z]+)/")]
    private static partial Regex FolderName();

    [GeneratedRegex(@"^(?:internal|public)[^\n]*?\b(?:class|record|struct|interface)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}
