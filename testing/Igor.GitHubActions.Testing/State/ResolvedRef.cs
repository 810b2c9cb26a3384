namespace Igor.GitHubActions.Testing.State;

/// <summary>A ref resolved to its state and commit sha.</summary>
internal sealed record ResolvedRef(RefState State, string Sha)
{
    public string Name => State.Name;

    public bool IsTag => State.IsTag;
}
