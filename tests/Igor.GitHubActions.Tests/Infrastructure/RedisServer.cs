using System.Diagnostics;
using StackExchange.Redis;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>A real <c>redis-server</c> (Debian's package, installed by test.sh) on a free loopback port, without persistence.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Starts redis-server; with <paramref name="dataDirectory"/> it persists (append-only file) so a restart keeps the data.</summary>
    public static async Task<RedisServer> StartAsync(int? port = null, string? dataDirectory = null)
    {
        var chosen = port ?? FreePorts.Next();
        var persistence = dataDirectory is null
            ? "--save \"\" --appendonly no"
            : $"--save \"\" --appendonly yes --appendfsync always --dir \"{dataDirectory}\"";
        var start = new ProcessStartInfo("redis-server", $"--port {chosen} --bind 127.0.0.1 {persistence} --protected-mode no")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: ./test.sh installs it (apt-get install redis-server)", e);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return new RedisServer(process, chosen);
    }

    /// <summary>Empties the database between tests.</summary>
    public async Task FlushAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration + ",allowAdmin=true");
        await connection.GetServer(Configuration).FlushAllDatabasesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

}
