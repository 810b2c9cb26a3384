using System.Diagnostics;
using Igor.GitHubActions.Benchmarks;

// dotnet run -c Release --project bench/Igor.GitHubActions.Benchmarks [-- --scale 10 --redis HOST:PORT]
// Prints: GitHub requests per build with and without webhooks, the status endpoint's throughput next to a bare Kestrel
// endpoint, the service's memory under a flood of unsigned webhook bodies, and webhook intake per second on SQLite (and on
// Redis when --redis is given or redis-server is on the PATH). --only requests|status|flood|webhooks runs one part; --soak
// runs the soak instead (memory, heap, store size and status latency over many retention periods).
var scale = args.SkipWhile(a => a != "--scale").Skip(1).Select(double.Parse).FirstOrDefault(10);
var redis = args.SkipWhile(a => a != "--redis").Skip(1).FirstOrDefault();
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
var soak = args.Contains("--soak");
var soakDeliveries = args.SkipWhile(a => a != "--soak-deliveries").Skip(1).Select(int.Parse).FirstOrDefault(100_000);

Console.WriteLine($"Igor for GitHub Actions benchmark ({Environment.ProcessorCount} cores, .NET {Environment.Version})");
if (soak)
{
    // --soak [--soak-deliveries N]: a sped-up stretch of operation with a retention of seconds, on SQLite and on Redis.
    Console.WriteLine("Soak:");
    Console.Write(await Soak.RunAsync("SQLite", [], soakDeliveries, soakDeliveries / 50, 200, TimeSpan.FromSeconds(5), 20, 500));
    var soakRedis = redis ?? (File.Exists("/usr/bin/redis-server") ? "127.0.0.1:16398" : null);
    using var soakServer = redis is null && soakRedis is not null
        ? Process.Start(new ProcessStartInfo("redis-server", "--port 16398 --bind 127.0.0.1 --save \"\" --appendonly no") { RedirectStandardOutput = true })
        : null;
    if (soakServer is not null)
    {
        while (await soakServer.StandardOutput.ReadLineAsync() is { } line && !line.Contains("Ready to accept connections", StringComparison.Ordinal))
        {
        }
    }

    if (soakRedis is not null)
    {
        Console.Write(await Soak.RunAsync(
            "Redis", new() { ["State:Provider"] = "Redis", ["State:Redis:Configuration"] = soakRedis, ["State:Redis:KeyPrefix"] = $"soak-{Guid.NewGuid():N}:" },
            soakDeliveries, soakDeliveries / 50, 200, TimeSpan.FromSeconds(5), 20, 500));
    }

    soakServer?.Kill();
    return;
}

if (only is null or "requests")
{
    Console.WriteLine("GitHub requests per build:");
    Console.Write(await RequestsPerBuild.RunAsync(webhooks: true, 100, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10), scale));
    Console.Write(await RequestsPerBuild.RunAsync(webhooks: false, 100, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10), scale));
}

if (only is null or "status")
{
    Console.WriteLine("Status endpoint under load:");
    Console.Write(await Throughput.StatusEndpointAsync(64, rounds: 5, TimeSpan.FromSeconds(2)));
}

if (only is null or "flood")
{
    Console.WriteLine("Unsigned webhook flood:");
    Console.Write(await WebhookFlood.RunAsync(senders: 24, bodyBytes: 24L * 1024 * 1024));
}

if (only is not (null or "webhooks"))
{
    return;
}

Console.WriteLine("Webhook intake:");
Console.Write(await Throughput.WebhookIntakeAsync("SQLite", [], 16, TimeSpan.FromSeconds(5)));

Process? server = null;
if (redis is null && File.Exists("/usr/bin/redis-server"))
{
    server = Process.Start(new ProcessStartInfo("redis-server", "--port 16399 --bind 127.0.0.1 --save \"\" --appendonly no") { RedirectStandardOutput = true })!;
    while (await server.StandardOutput.ReadLineAsync() is { } line && !line.Contains("Ready to accept connections", StringComparison.Ordinal))
    {
    }

    redis = "127.0.0.1:16399";
}

if (redis is not null)
{
    Console.Write(await Throughput.WebhookIntakeAsync("Redis", new() { ["State:Provider"] = "Redis", ["State:Redis:Configuration"] = redis, ["State:Redis:KeyPrefix"] = $"bench-{Guid.NewGuid():N}:" }, 16, TimeSpan.FromSeconds(5)));
}

server?.Kill();
