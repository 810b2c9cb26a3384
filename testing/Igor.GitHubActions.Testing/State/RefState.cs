namespace Igor.GitHubActions.Testing.State;

/// <summary>The files and current commit of one branch or tag.</summary>
internal sealed class RefState
{
    public required string Name { get; init; }

    public required bool IsTag { get; init; }

    public Dictionary<string, byte[]> Files { get; init; } = new(StringComparer.Ordinal);

    public int Revision { get; set; }

    public required DateTimeOffset UpdatedAt { get; set; }

    public string FullRef => IsTag ? $"refs/tags/{Name}" : $"refs/heads/{Name}";
}
