using System.Diagnostics;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>Debian's chromium driven through its command line: <c>--dump-dom</c> (the DOM after scripts ran) and <c>--screenshot</c>.</summary>
public static class HeadlessChromium
{
    public static string Executable() =>
        new[] { "chromium", "chromium-browser", "google-chrome" }
            .Select(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists))
            .FirstOrDefault(path => path is not null)
        ?? throw new InvalidOperationException("chromium is not installed: test.sh installs it (apt-get install -y chromium)");

    /// <summary>The same chromium driven over the DevTools protocol, for pages that are filled in and clicked through.</summary>
    public static Task<PuppeteerSharp.IBrowser> LaunchAsync() => PuppeteerSharp.Puppeteer.LaunchAsync(new PuppeteerSharp.LaunchOptions
    {
        ExecutablePath = Executable(),
        Headless = true,
        UserDataDir = TestPaths.NewScratchDirectory(),
        Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
    });

    public static async Task<string> DumpDomAsync(Uri page) => (await RunAsync("--dump-dom", page.ToString())).Output;

    public static async Task ScreenshotAsync(Uri page, string pngPath) =>
        await RunAsync($"--screenshot={pngPath}", "--window-size=1280,1400", page.ToString());

    private static async Task<(string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var profile = TestPaths.NewScratchDirectory();
        var start = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run", $"--user-data-dir={profile}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish: {await errors}");
        }

        process.ExitCode.Should().Be(0, await errors);
        return (await output, await errors);
    }
}
