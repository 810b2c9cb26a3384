namespace Igor.GitHubActions.Igor.Endpoints;

/// <summary><c>GET /health</c>: <c>UP</c> or <c>DOWN</c>, and per master (and the state store) its state or the reason it is down.</summary>
internal sealed record HealthAnswer(string Status, IReadOnlyDictionary<string, string> Details)
{
    public static HealthAnswer Down(string key, string reason) => new("DOWN", new Dictionary<string, string>(StringComparer.Ordinal) { [key] = reason });
}
