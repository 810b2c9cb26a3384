using Igor.GitHubActions.Testing.State;

namespace Igor.GitHubActions.Testing;

/// <summary>A job of a run attempt, with steps and a plain-text log.</summary>
public sealed class SimulatedJob
{
    private readonly SimulatorCore _core;
    private readonly List<SimulatedStep> _steps = [];
    private string _status;
    private string? _conclusion;

    internal SimulatedJob(SimulatedRun run, long id, int runAttempt, string name, Func<Stream> logFactory, string? conclusion, bool defaultSteps = true)
    {
        _core = run.Repository.Core;
        Run = run;
        Id = id;
        RunAttempt = runAttempt;
        Name = name;
        OpenLog = logFactory;
        CreatedAt = _core.Now;
        StartedAt = CreatedAt;
        _status = "in_progress";
        if (defaultSteps)
        {
            _steps.Add(new SimulatedStep("Set up job", 1, "completed", "success", CreatedAt, CreatedAt));
            _steps.Add(new SimulatedStep($"Run {name}", 2, "in_progress", null, CreatedAt, null));
        }

        if (conclusion is not null)
        {
            CompleteUnlocked(conclusion);
        }
    }

    public long Id { get; }

    public SimulatedRun Run { get; }

    public long RunId => Run.Id;

    public int RunAttempt { get; }

    public string Name { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public string RunnerName { get; set; } = "GitHub Actions 2";

    public IReadOnlyList<string> Labels { get; set; } = ["ubuntu-latest"];

    public string Status => Read(() => _status);

    public string? Conclusion => Read(() => _conclusion);

    public IReadOnlyList<SimulatedStep> Steps => Read(() => _steps.ToList());

    internal Func<Stream> OpenLog { get; }

    internal string StatusUnlocked => _status;

    internal string? ConclusionUnlocked => _conclusion;

    internal List<SimulatedStep> StepList => _steps;

    /// <summary>Adds a step (e.g. one named with a correlation id), completed with <paramref name="conclusion"/> or in progress when null.</summary>
    public SimulatedStep AddStep(string name, string? conclusion = "success")
    {
        lock (_core.Sync)
        {
            var now = _core.Now;
            var step = new SimulatedStep(name, _steps.Count + 1, conclusion is null ? "in_progress" : "completed", conclusion, now, conclusion is null ? null : now);
            _steps.Add(step);
            return step;
        }
    }

    /// <summary>Completes the job and its unfinished steps.</summary>
    public void Complete(string conclusion)
    {
        lock (_core.Sync)
        {
            CompleteUnlocked(conclusion);
        }
    }

    internal void CompleteUnlocked(string conclusion)
    {
        var now = _core.Now;
        _status = "completed";
        _conclusion = conclusion;
        CompletedAt = now;
        for (var i = 0; i < _steps.Count; i++)
        {
            if (_steps[i].Status != "completed")
            {
                _steps[i] = _steps[i] with { Status = "completed", Conclusion = conclusion, CompletedAt = now };
            }
        }

        if (_steps.All(s => s.Name != "Complete job"))
        {
            _steps.Add(new SimulatedStep("Complete job", _steps.Count + 1, "completed", "success", now, now));
        }
    }

    private T Read<T>(Func<T> read)
    {
        lock (_core.Sync)
        {
            return read();
        }
    }
}
