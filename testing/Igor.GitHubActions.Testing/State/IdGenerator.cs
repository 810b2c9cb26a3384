namespace Igor.GitHubActions.Testing.State;


/// <summary>Thread-safe int64 id sequences.</summary>
internal sealed class IdGenerator
{
    private readonly long[] _next =
    [
        700_000_000,        // Repository
        160_000_000,        // Workflow
        15_000_000_000,     // Run
        42_000_000_000,     // Job
        3_100_000_000,      // Artifact
        2_400_000_000,      // Deployment
        9_800_000_000,      // DeploymentStatus
        33_000_000_000,     // CommitStatus
        36_000_000_000,     // CheckSuite
        58_000_000,         // Installation
        190_000_000,        // Account
        120_000_000_000,    // Delivery
    ];

    public long Next(IdKind kind) => Interlocked.Increment(ref _next[(int)kind]);
}
