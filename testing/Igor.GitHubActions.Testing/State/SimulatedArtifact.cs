using System.Security.Cryptography;

namespace Igor.GitHubActions.Testing;

/// <summary>An artifact of a run (a zip archive).</summary>
public sealed class SimulatedArtifact
{
    private bool _expired;

    internal SimulatedArtifact(SimulatedRun run, long id, string name, byte[] zipBytes)
    {
        Run = run;
        Id = id;
        Name = name;
        Bytes = zipBytes;
        Digest = $"sha256:{Convert.ToHexStringLower(SHA256.HashData(zipBytes))}";
        CreatedAt = run.Repository.Core.Now;
        ExpiresAt = CreatedAt + run.Repository.Core.Options.ArtifactRetention;
    }

    public long Id { get; }

    public string Name { get; }

    public SimulatedRun Run { get; }

    public long SizeInBytes => Bytes.LongLength;

    public string Digest { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>True once <see cref="Expire"/> was called or the simulator clock passed <see cref="ExpiresAt"/>.</summary>
    public bool Expired => _expired || Run.Repository.Core.Now >= ExpiresAt;

    internal byte[] Bytes { get; }

    /// <summary>Expires the artifact now: downloads answer 410.</summary>
    public void Expire()
    {
        _expired = true;
        ExpiresAt = Run.Repository.Core.Now;
    }
}
