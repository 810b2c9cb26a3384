using System.Text;
using System.Text.Json;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>One request as the fake Igor received it.</summary>
public sealed record IgorRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public override string ToString() => $"{Method} {RawTarget} {JsonSerializer.Serialize(Headers)} {BodyText}";
}
