using System.Text;
using System.Text.Json.Nodes;
using Igor.GitHubActions.GitHub.Outputs;
using Igor.GitHubActions.Logs;

namespace Igor.GitHubActions.Tests.GitHub;

public sealed class PropertyParsingTests
{
    [Test]
    public void JavaProperties_SeparatorsEscapesAndContinuations_ParseAsJava()
    {
        var parsed = JavaProperties.Parse(new StringReader("a=1\nb: 2\nc 3\n  d = x\\ty\nkey\\ with\\ space=v\ncont=one, \\\n     two\n# c=ignored\n\n!x=ignored\nempty="));

        parsed.Should().Equal(new Dictionary<string, string>
        {
            ["a"] = "1", ["b"] = "2", ["c"] = "3", ["d"] = "x\ty", ["key with space"] = "v", ["cont"] = "one, two", ["empty"] = "",
        });
    }

    [Test]
    public void Parse_YamlThatIsNotAMapping_IsUnprocessable()
    {
        var act = () => PropertyFileParser.Parse("p.yml", new MemoryStream(Encoding.UTF8.GetBytes("- a\n- b\n")), "artifact 'x'");

        act.Should().Throw<global::Igor.GitHubActions.Igor.Http.IgorException>().Which.StatusCode.Should().Be(422);
    }

    [Test]
    public void LogLine_TimestampAndAnsi_AreRemoved() =>
        LogLine.Clean("\uFEFF2026-11-24T10:00:00.1234567Z \u001b[1;32mSPINNAKER_PROPERTY_A=1\u001b[0m").Should().Be("SPINNAKER_PROPERTY_A=1");

    [Test]
    public void AnsiHtml_TrueColourAndReset_RenderAsEscapedSpans()
    {
        var html = new StringBuilder();
        new AnsiHtml().Write("\u001b[38;2;255;0;128m<b>\u001b[0m & done", html);

        html.ToString().Should().Be("<span style=\"color:#ff0080;\">&lt;b&gt;</span> &amp; done");
    }

    [Test]
    public async Task LogPropertyScanner_InvalidConfigJson_IsUnprocessableNamingTheLine()
    {
        var target = new JsonObject();
        var act = () => LogPropertyScanner.ScanAsync(new StringReader("ok\nSPINNAKER_CONFIG_JSON={oops"), target, "the log of job 'build'", CancellationToken.None);

        (await act.Should().ThrowAsync<global::Igor.GitHubActions.Igor.Http.IgorException>()).Which.Message.Should().Contain("line 2");
    }
}
