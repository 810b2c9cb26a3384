namespace Igor.GitHubActions.PassThrough;

/// <summary>What the last check of the existing Igor's masters found; <see cref="Changed"/> completes at the next check.</summary>
internal sealed class PassThroughStatus
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Master names served both here and by the existing Igor (a configuration error).</summary>
    public IReadOnlyList<string> Clashes { get; private set; } = [];

    /// <summary>Why the last check could not read the existing Igor's masters, or null when it could.</summary>
    public string? Problem { get; private set; }

    public int Checks { get; private set; }

    public Task Changed
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    public void Record(IReadOnlyList<string> clashes, string? problem)
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            Clashes = clashes;
            Problem = problem;
            Checks++;
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}
