using System.Text.RegularExpressions;

namespace Igor.GitHubActions.Testing.State;



/// <summary>Branches and tags of one repository (no history: each ref has a current sha derived from its name and revision).</summary>
internal sealed partial class GitRefs(string repositoryFullName)
{
    private readonly Dictionary<string, RefState> _branches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefState> _tags = new(StringComparer.Ordinal);

    public IEnumerable<RefState> Branches => _branches.Values;

    public IEnumerable<RefState> Tags => _tags.Values;

    public string ShaOf(RefState state) => SimulatorCore.Sha($"{repositoryFullName}|{state.FullRef}|{state.Revision}");

    public RefState AddBranch(string name, RefState? from, DateTimeOffset now) => Add(_branches, name, false, from, now);

    public RefState AddTag(string name, RefState? from, DateTimeOffset now) => Add(_tags, name, true, from, now);

    public bool DeleteBranch(string name) => _branches.Remove(name);

    /// <summary>Resolves a branch or tag name, <c>refs/heads/…</c>, <c>refs/tags/…</c>, <c>heads/…</c>, <c>tags/…</c>, or a full commit sha of a ref.</summary>
    public ResolvedRef? Resolve(string? reference, bool allowSha = true)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        RefState? state = null;
        if (reference.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            state = _branches.GetValueOrDefault(reference[11..]);
        }
        else if (reference.StartsWith("refs/tags/", StringComparison.Ordinal))
        {
            state = _tags.GetValueOrDefault(reference[10..]);
        }
        else if (reference.StartsWith("heads/", StringComparison.Ordinal))
        {
            state = _branches.GetValueOrDefault(reference[6..]);
        }
        else if (reference.StartsWith("tags/", StringComparison.Ordinal))
        {
            state = _tags.GetValueOrDefault(reference[5..]);
        }
        else
        {
            state = _branches.GetValueOrDefault(reference) ?? _tags.GetValueOrDefault(reference);
        }

        if (state is null && allowSha && ShaPattern().IsMatch(reference))
        {
            state = _branches.Values.Concat(_tags.Values)
                .FirstOrDefault(s => ShaOf(s).StartsWith(reference.ToLowerInvariant(), StringComparison.Ordinal));
        }

        return state is null ? null : new ResolvedRef(state, ShaOf(state));
    }

    private static RefState Add(Dictionary<string, RefState> into, string name, bool isTag, RefState? from, DateTimeOffset now)
    {
        if (into.TryGetValue(name, out var existing))
        {
            return existing;
        }

        var state = new RefState
        {
            Name = name,
            IsTag = isTag,
            UpdatedAt = now,
            Files = from is null ? new(StringComparer.Ordinal) : new(from.Files, StringComparer.Ordinal),
        };
        into[name] = state;
        return state;
    }

    [GeneratedRegex("^[0-9a-fA-F]{7,40}$")]
    private static partial Regex ShaPattern();
}
