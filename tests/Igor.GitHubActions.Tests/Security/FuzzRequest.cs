namespace Igor.GitHubActions.Tests.Security;

/// <summary>One generated request: method, raw request target, headers and body, and whether Fiat is down while it is sent.</summary>
public sealed record FuzzRequest(int Index, string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers, byte[]? Body, bool FiatDown)
{
    public override string ToString() =>
        $"#{Index} {Method} {(Target.Length > 200 ? Target[..200] + "..." : Target)} [{string.Join(", ", Headers.Select(h => h.Name + ": " + (h.Value.Length > 40 ? h.Value[..40] + "..." : h.Value)))}] body {Body?.Length ?? 0} B{(FiatDown ? " (Fiat down)" : "")}";
}
