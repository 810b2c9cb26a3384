using System.Text.RegularExpressions;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Architecture;

/// <summary>
/// One set-up for the end-to-end fixtures: a fixture derives from <see cref="ScenarioTest"/> and says what it needs;
/// none builds its GitHub and service in a set-up of its own (the 26 copies this replaced drifted apart).
/// </summary>
public sealed partial class TestSetUpTests
{
    [Test]
    public void NoFixture_CreatesItsScenarioInItsOwnSetUp()
    {
        var tests = Path.Combine(TestPaths.RepositoryRoot(), "tests", "Igor.GitHubActions.Tests");
        var offenders = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(p => SetUpCreatingScenario().IsMatch(File.ReadAllText(p)))
            .Select(Path.GetFileName)
            .ToArray();

        offenders.Should().BeEmpty("fixtures configure ScenarioTest instead of copying its set-up");

        // The rule sees a copied set-up, as the 26 fixtures had it.
        const string Copied = "    [SetUp]\n    public async Task SetUp()\n    {\n        _fiat = await FakeFiat.StartAsync();\n        _scenario = await GitHubScenario.CreateAsync(start: false);\n    }\n";
        SetUpCreatingScenario().IsMatch(Copied).Should().BeTrue();
        SetUpCreatingScenario().IsMatch("    [SetUp]\n    public async Task SetUp() => _scenario = await GitHubScenario.CreateAsync();\n").Should().BeTrue();
    }

    [Test]
    public void EveryScenarioFixture_HasADeadline()
    {
        var fixtures = typeof(ScenarioTest).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ScenarioTest))).ToArray();

        fixtures.Should().HaveCountGreaterThan(20);
        fixtures.Where(t => t.GetCustomAttributes(typeof(CancelAfterAttribute), inherit: false).Length == 0).Select(t => t.Name)
            .Should().BeEmpty("a hung end-to-end test fails by its deadline, not CI's");
    }

    [Test]
    public void EveryTest_IsNamedSubjectScenarioExpectation()
    {
        var tests = typeof(TestSetUpTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttributes(typeof(TestAttribute), false).Length > 0 || m.GetCustomAttributes(typeof(TestCaseAttribute), false).Length > 0 ||
                        m.GetCustomAttributes(typeof(TestCaseSourceAttribute), false).Length > 0)
            .ToArray();

        tests.Should().HaveCountGreaterThan(600);
        tests.Where(m => !TestName().IsMatch(m.Name)).Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .Should().BeEmpty("test names are PascalCase parts joined by '_': Subject_Scenario_Expectation (house style 26)");

        // The rule tells the two styles the suite had apart.
        TestName().IsMatch("Trigger_WhenDispatchTimesOut_DoesNotRetry").Should().BeTrue();
        TestName().IsMatch("Deployment_UnknownRef_Is422").Should().BeTrue();
        TestName().IsMatch("Unknown_ref_is_422").Should().BeFalse();
        TestName().IsMatch("UnknownRefIs422").Should().BeFalse();
    }

    /// <summary>At least two PascalCase parts (a part may start with a digit: <c>_404Before</c>), joined by '_'.</summary>
    [GeneratedRegex("^[A-Z][A-Za-z0-9]*(?:_[A-Z0-9][A-Za-z0-9]*)+$")]
    private static partial Regex TestName();

    /// <summary>A [SetUp] or [OneTimeSetUp] method whose body (up to the method's closing brace) creates a scenario.</summary>
    [GeneratedRegex(@"\[(?:OneTime)?SetUp\]\s*\n\s*public[^\n]*(?:\n    \{(?:(?!\n    \})[\s\S])*|[^\n]*)GitHubScenario\.CreateAsync")]
    private static partial Regex SetUpCreatingScenario();
}
