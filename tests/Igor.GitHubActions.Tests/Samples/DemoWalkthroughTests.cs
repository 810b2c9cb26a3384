using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Samples;

/// <summary>
/// A new user's first hour: the README's demo command, then its "try it" commands exactly as written (only the
/// ports changed), with curl and bash; what they print and what the demo's console shows is what the README promises.
/// </summary>
[CancelAfter(180_000)]
[NonParallelizable]
public sealed partial class DemoWalkthroughTests
{
    [Test]
    public async Task Readme_TryIt_ShowsLogPagePropertiesAFailedBuildTriggersAndDeploymentStatuses()
    {
        var (port, gitHubPort) = (FreePorts.Next(), FreePorts.Next());
        await using var demo = await Program.StartAsync(Dll("samples/DemoHost", "Igor.GitHubActions.DemoHost.dll"),
            $"--urls=http://localhost:{port}", $"--Demo:GitHubUrl=http://127.0.0.1:{gitHubPort}", "--Demo:StepSeconds=0.2",
            $"--State:Sqlite:Path={Path.Combine(TestPaths.NewScratchDirectory(), "igor.db")}");
        await Poll.UntilAsync(() => demo.Output.Contains("Ctrl+C stops it.", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        var script = TryIt().Replace("localhost:8088", $"localhost:{port}", StringComparison.Ordinal).Replace("127.0.0.1:8090", $"127.0.0.1:{gitHubPort}", StringComparison.Ordinal);
        var (exitCode, output) = await RunAsync("bash", ["-euo", "pipefail", "-c", script], TimeSpan.FromSeconds(120));

        exitCode.Should().Be(0, output);
        output.Should().Contain("[\"github-actions\"]").And.Contain("acme/api/test.yml").And.Contain("parameterDefinitionList")
            .And.Contain("\"result\":\"SUCCESS\"").And.Contain("\"result\":\"FAILURE\"", "step 5 is a failed build");
        output.Should().Contain("\"image_tag\":\"sha-").And.Contain("\"version\":\"1.4.", "properties from the log line and the artifact")
            .And.Contain("\"type\":\"docker/image\"");
        output.Should().Contain("===== build (success) =====").And.Contain("===== test (success) =====").And.Contain("SPINNAKER_PROPERTY_IMAGE_TAG");

        // The log page the first build's url names: its jobs, steps and lines.
        using var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}/") };
        var status = await http.GetStringAsync("builds/status/1/github-actions?job=acme%2Fapi%2Ftest.yml");
        var url = UrlPattern().Match(status).Groups[1].Value;
        var page = await http.GetStringAsync(url);
        page.Should().Contain("build").And.Contain("Run actions/checkout@v4").And.Contain("Run make test").And.Contain("api/handlers").And.Contain("Compiling");

        // The stand-in Echo: build events, the deployment triggers, and the statuses the service wrote on GitHub.
        await Poll.UntilAsync(() => Regex.Count(demo.Output, @"\[github\] deployment \d+ status success") == 2, TimeSpan.FromSeconds(60));
        demo.Output.Should().Contain("[echo] build event: master github-actions, job acme/api/test.yml #1 SUCCESS -> fires the Jenkins triggers")
            .And.Contain("[echo] build event: master github-actions, job acme/api/test.yml #2 FAILURE")
            .And.Contain("[echo] webhook trigger 'github-deployment'").And.MatchRegex(@"deployment \d+ of acme/api \(main\) to production by igor-demo\[bot\]")
            .And.MatchRegex(@"deployment \d+ of acme/api \(main\) to staging by octocat")
            .And.MatchRegex(@"\[github\] deployment \d+ status in_progress: ""Spinnaker pipeline 'Deploy to production' is running""");
    }

    [Test]
    public async Task Screenshots_ScriptMakesBothPictures()
    {
        var output = TestPaths.NewScratchDirectory();
        var (exitCode, log) = await RunAsync("bash", [Path.Combine(TestPaths.RepositoryRoot(), "docs", "screenshots.sh"), output], TimeSpan.FromSeconds(150),
            ("DEMO_PORT", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)), ("GITHUB_PORT", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("SETUP_PORT", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)), ("CONFIGURATION", Configuration()));

        exitCode.Should().Be(0, log);
        foreach (var picture in new[] { "log-page.png", "setup-page.png" })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(output, picture));
            bytes.Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, picture + " is a PNG");
            bytes.Length.Should().BeGreaterThan(20_000, picture + " shows a page, not a blank window");
        }

        var readme = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot(), "README.md"));
        readme.Should().Contain("](docs/log-page.png)").And.Contain("](docs/setup-page.png)").And.Contain("```mermaid");
    }

    /// <summary>The shell code between the README's try-it markers.</summary>
    private static string TryIt()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot(), "README.md"));
        var block = TryItPattern().Match(readme);
        block.Success.Should().BeTrue("the README marks its walkthrough with <!-- try-it --> and <!-- /try-it -->");
        return string.Join("\n", CodePattern().Matches(block.Groups[1].Value).Select(m => m.Groups[1].Value));
    }

    private static string Configuration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string Dll(string project, string name) => Path.Combine(TestPaths.RepositoryRoot(), project, "bin", Configuration(), "net10.0", name);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, TimeSpan timeout, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not end within {timeout}: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }


    [GeneratedRegex("<!-- try-it -->(.*?)<!-- /try-it -->", RegexOptions.Singleline)]
    private static partial Regex TryItPattern();

    [GeneratedRegex("```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodePattern();

    [GeneratedRegex("\"url\":\"https?://[^/\"]+/(logs/[^\"]*)\"")]
    private static partial Regex UrlPattern();

    /// <summary>The demo host in its own process, its console collected.</summary>
    private sealed class Program : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private Program(Process process) => _process = process;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static Task<Program> StartAsync(string dll, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = TestPaths.NewScratchDirectory() };
            start.ArgumentList.Add(dll);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            var program = new Program(Process.Start(start)!);
            void Collect(object? sender, DataReceivedEventArgs line)
            {
                if (line.Data is not null)
                {
                    lock (program._output)
                    {
                        program._output.AppendLine(line.Data);
                    }
                }
            }

            program._process.OutputDataReceived += Collect;
            program._process.ErrorDataReceived += Collect;
            program._process.BeginOutputReadLine();
            program._process.BeginErrorReadLine();
            return Task.FromResult(program);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            TestContext.Out.WriteLine(Output);
        }
    }
}
