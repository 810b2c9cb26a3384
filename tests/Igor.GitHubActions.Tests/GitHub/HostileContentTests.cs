using System.Text;
using System.Text.Json.Nodes;
using Igor.GitHubActions.GitHub.Outputs;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.Logs;

namespace Igor.GitHubActions.Tests.GitHub;

/// <summary>What a build prints or uploads is the world's to choose: YAML alias bombs, deep nesting, endless lines.</summary>
public sealed class HostileContentTests
{
    [Test]
    public void YamlAliasBomb_IsRefusedWithoutExpanding()
    {
        // Nine levels of ten aliases each stand for 10^9 values in a file of a few hundred bytes.
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i <= 9; i++)
        {
            yaml.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var act = () => PropertyFileParser.Parse("p.yml", Utf8(yaml.ToString()), "artifact 'x'");

        act.Should().Throw<IgorException>().Which.Message.Should().Contain("aliases").And.Contain("100,000");
        elapsed.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the budget stops the expansion long before it is built");
    }

    [Test]
    public void DeeplyNestedYaml_IsRefusedNamingTheDepth()
    {
        var yaml = "a: " + new string('[', 10_000) + new string(']', 10_000) + "\n";

        var act = () => PropertyFileParser.Parse("p.yaml", Utf8(yaml), "artifact 'x'");

        act.Should().Throw<IgorException>().Which.Message.Should().Contain("deeper than 64");
    }

    [Test]
    public void OrdinaryYamlWithAnAlias_StillReads()
    {
        var parsed = PropertyFileParser.Parse("p.yml", Utf8("base: &b {image: api, tag: '1'}\nprod: *b\n"), "artifact 'x'");

        parsed["prod"]!["image"]!.GetValue<string>().Should().Be("api");
    }

    [Test]
    public async Task EndlessLine_IsReadInBoundedPieces_AndCutWithAMarker()
    {
        var reader = new BoundedLineReader(new StringReader(new string('x', 1_000_000) + "\nnext\r\nlast"), 1000);

        var first = await reader.ReadLineAsync(CancellationToken.None);
        var second = await reader.ReadLineAsync(CancellationToken.None);
        var third = await reader.ReadLineAsync(CancellationToken.None);
        var end = await reader.ReadLineAsync(CancellationToken.None);

        first!.Value.Text.Should().HaveLength(1000);
        first.Value.Cut.Should().BeTrue();
        second.Should().Be(("next", false));
        third.Should().Be(("last", false));
        end.Should().BeNull();
        BoundedLineReader.Marker(1000).Should().Contain("line cut");
    }

    [Test]
    public async Task PropertyScanner_OverlongPropertyLine_IsRefused_OtherLongLinesAreSkipped()
    {
        var target = new JsonObject();
        var log = new string('y', LogPropertyScanner.MaxLineLength * 2) + "\nSPINNAKER_PROPERTY_OK=1\n";
        await LogPropertyScanner.ScanAsync(new StringReader(log), target, "job 'build'", CancellationToken.None);
        target["ok"]!.GetValue<string>().Should().Be("1");

        var hostile = "SPINNAKER_CONFIG_JSON={\"a\":\"" + new string('z', LogPropertyScanner.MaxLineLength) + "\"}\n";
        var act = () => LogPropertyScanner.ScanAsync(new StringReader(hostile), new JsonObject(), "job 'build'", CancellationToken.None);

        (await act.Should().ThrowAsync<IgorException>()).Which.Message.Should().Contain("longer than");
    }

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));
}
