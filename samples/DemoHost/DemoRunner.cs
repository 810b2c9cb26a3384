using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Igor.GitHubActions.Testing;

namespace Igor.GitHubActions.DemoHost;

/// <summary>
/// Plays GitHub's runners in the demo. Every run starts at once and runs its jobs one after another, step by step,
/// writing log lines as a runner does (<c>##[group]</c> folds, ANSI colours, <c>SPINNAKER_PROPERTY_</c> lines, an
/// <c>##[error]</c> when it fails): <c>build</c> uploads <c>build.properties</c> as an artifact; <c>test</c> fails when
/// the run's <c>fail</c> input is true; <c>deploy</c> (deploy.yml) deploys to the run's <c>environment</c> input, for
/// which GitHub creates a deployment. It also prints the deployments and deployment statuses GitHub gets.
/// </summary>
internal sealed class DemoRunner(GitHubSimulator gitHub, IReadOnlyList<SimulatedRepository> repositories, DemoConsole console, TimeSpan stepTime) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, bool> _printedDeployments = new();
    private readonly ConcurrentDictionary<long, bool> _printedStatuses = new();

    public void Start()
    {
        gitHub.RunCreated += run => _ = PlayAsync(run);
        _ = WatchDeploymentsAsync();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task PlayAsync(SimulatedRun run)
    {
        try
        {
            await Task.Delay(stepTime / 2, _stop.Token);
            run.Start();
            var fail = run.Inputs.TryGetValue("fail", out var value) && value == "true";
            var ok = await BuildAsync(run) && await TestAsync(run, fail);
            if (ok && run.Workflow.Path.EndsWith("/deploy.yml", StringComparison.Ordinal))
            {
                ok = await DeployAsync(run, run.Inputs.TryGetValue("environment", out var environment) && environment.Length > 0 ? environment : "staging");
            }

            if (run.Status != "completed")
            {
                run.Complete(ok ? "success" : "failure");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Task<bool> BuildAsync(SimulatedRun run)
    {
        var sha = run.HeadSha[..7];
        var version = $"1.4.{run.RunNumber}";
        return JobAsync(run, "build",
        [
            ("Set up job", log => log.Group("Runner Image", "Image: ubuntu-24.04", "Version: 20261201.1")
                .Line($"Secret source: Actions").Line("Prepare workflow directory")),
            ("Run actions/checkout@v4", log => log.Group("Run actions/checkout@v4", "with:", $"  repository: {run.Repository.FullName}", $"  ref: {run.HeadBranch}")
                .Line($"Syncing repository: {run.Repository.FullName}").Line($"HEAD is now at {sha} {run.HeadCommitMessage}")),
            ("Run make build", log => log.Group("Run make build", "make build", "shell: /usr/bin/bash -e {0}")
                .Line($"\u001b[36m   Compiling\u001b[0m api v{version}").Line("\u001b[36m   Compiling\u001b[0m payments v0.9.2")
                .Line($"\u001b[32m    Finished\u001b[0m release in 41.2s").Line($"\u001b[1mimage\u001b[0m ghcr.io/{run.Repository.FullName}:sha-{sha}")
                .Line($"SPINNAKER_PROPERTY_IMAGE_TAG=sha-{sha}").Line($"SPINNAKER_PROPERTY_VERSION={version}")),
            ("Run actions/upload-artifact@v4", log =>
            {
                log.Group("Run actions/upload-artifact@v4", "with:", "  name: build.properties", "  path: build.properties")
                    .Line("Uploaded build.properties (1 file, 214 bytes)");
                run.AddArtifact("build.properties", Zip("build.properties", $"""
                    version={version}
                    image=ghcr.io/{run.Repository.FullName}:sha-{sha}
                    commit={run.HeadSha}
                    artifacts=[{"{"}"type":"docker/image","name":"ghcr.io/{run.Repository.FullName}","version":"sha-{sha}","reference":"ghcr.io/{run.Repository.FullName}:sha-{sha}"{"}"}]
                    """));
                return null;
            }),
        ]);
    }

    private Task<bool> TestAsync(SimulatedRun run, bool fail) => JobAsync(run, "test",
    [
        ("Set up job", log => log.Line("Prepare workflow directory")),
        ("Run make test", log =>
        {
            log.Group("Run make test", "make test", "shell: /usr/bin/bash -e {0}")
                .Line("\u001b[32mPASS\u001b[0m api/handlers (0.42s)").Line("\u001b[32mPASS\u001b[0m api/orders (1.07s)");
            if (fail)
            {
                log.Line("\u001b[31mFAIL\u001b[0m api/payments TestRefund (0.08s)").Line("    payments_test.go:88: expected status 200, got 500")
                    .Line("##[error]Process completed with exit code 1.");
                return false;
            }

            log.Line("\u001b[32mok\u001b[0m 3 packages, 128 tests");
            return true;
        }),
    ]);

    private Task<bool> DeployAsync(SimulatedRun run, string environment) => JobAsync(run, $"deploy ({environment})",
    [
        ("Set up job", log =>
        {
            // A job with environment: makes GitHub create a deployment of the run's commit when it starts.
            run.DeployFromJob(environment);
            return log.Line($"Deploying to environment {environment}");
        }),
        ("Run ./deploy.sh", log => log.Group("Run ./deploy.sh", $"./deploy.sh {environment}")
            .Line($"\u001b[33mrolling out\u001b[0m api to {environment}: 3/3 replicas updated").Line($"SPINNAKER_PROPERTY_DEPLOYED_TO={environment}")),
    ]);

    /// <summary>Runs one job: its steps one per step time, the log growing as they go; false when a step failed.</summary>
    private async Task<bool> JobAsync(SimulatedRun run, string name, IReadOnlyList<(string Step, Func<JobLog, object?> Run)> steps)
    {
        var log = new JobLog();
        var job = run.AddJob(name, () => new MemoryStream(Encoding.UTF8.GetBytes(log.Text), writable: false), conclusion: null, defaultSteps: false);
        foreach (var (step, play) in steps)
        {
            await Task.Delay(stepTime, _stop.Token);
            if (run.Status == "completed" || run.CancelRequested)
            {
                log.Line("##[error]The operation was canceled.");
                job.Complete("cancelled");
                return false;
            }

            var failed = play(log) is false;
            job.AddStep(step, failed ? "failure" : "success");
            if (failed)
            {
                job.Complete("failure");
                return false;
            }
        }

        log.Line("Cleaning up orphan processes");
        job.Complete("success");
        return true;
    }

    private async Task WatchDeploymentsAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (var deployment in repositories.SelectMany(r => r.Deployments))
                {
                    if (_printedDeployments.TryAdd(deployment.Id, true))
                    {
                        console.GitHub($"deployment {deployment.Id} of {deployment.Repository.FullName} ({deployment.Ref}) to {deployment.Environment} created by {deployment.Creator.Login}"
                            + (deployment.Run is { } run ? $" for run {run.Id} ({run.Workflow.Path.Split('/')[^1]} #{run.RunNumber})" : ""));
                    }

                    foreach (var status in deployment.Statuses.Where(s => _printedStatuses.TryAdd(s.Id, true)))
                    {
                        console.GitHub($"deployment {deployment.Id} status {status.State}: \"{status.Description}\"" + (status.LogUrl.Length > 0 ? $" {status.LogUrl}" : ""));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static byte[] Zip(string fileName, string content)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = new StreamWriter(zip.CreateEntry(fileName).Open());
            entry.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>A job's log as GitHub serves it: each line after its timestamp.</summary>
    private sealed class JobLog
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _sync = new();

        public string Text
        {
            get
            {
                lock (_sync)
                {
                    return _text.ToString();
                }
            }
        }

        public JobLog Line(string line)
        {
            lock (_sync)
            {
                _text.Append(TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)).Append(' ').Append(line).Append('\n');
            }

            return this;
        }

        public JobLog Group(string title, params string[] lines)
        {
            Line($"##[group]{title}");
            foreach (var line in lines)
            {
                Line(line);
            }

            return Line("##[endgroup]");
        }
    }
}
