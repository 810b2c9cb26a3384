using System.Diagnostics;
using System.Text;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>The production binary in its own process, so a test can SIGKILL it mid-build and start it again.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

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

    /// <summary>
    /// Starts <c>Igor.GitHubActions.dll</c> with a YAML configuration file, and <paramref name="settings"/>
    /// (<c>Key:Sub=value</c>) on its command line over it, and waits until it listens.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string configFile, int? port = null, params string[] settings)
    {
        var chosen = port ?? FreePorts.Next();
        var dll = Path.Combine(AppContext.BaseDirectory, "Igor.GitHubActions.dll");
        var overrides = string.Concat(settings.Select(s => $" \"--{s}\""));
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:{chosen} --config \"{configFile}\"{overrides}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(configFile)!,
        };
        start.Environment["Logging__Console__FormatterName"] = "simple";
        var process = Process.Start(start)!;
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{chosen}/"));
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collect(object? sender, DataReceivedEventArgs line)
        {
            if (line.Data is null)
            {
                return;
            }

            lock (service._output)
            {
                service._output.AppendLine(line.Data);
            }

            if (line.Data.Contains("Now listening on", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        }

        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(listening.Task, exited).WaitAsync(TimeSpan.FromSeconds(60)) == exited)
        {
            throw new InvalidOperationException("the service exited at start:\n" + service.Output);
        }

        return service;
    }

    /// <summary>SIGKILL: no shutdown hooks, no graceful stop.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

}
