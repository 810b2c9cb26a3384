using System.Text.Json.Nodes;

namespace Igor.GitHubActions.PassThrough;

/// <summary>The existing Igor's JSON answer to a listing call, or why there is none (<see cref="Problem"/>).</summary>
internal sealed record IgorAnswer(int? StatusCode, JsonNode? Json, string? Problem)
{
    public bool Succeeded => Problem is null && StatusCode is >= 200 and < 300;

    /// <summary>The string elements of a JSON array answer, or null when the answer is not one.</summary>
    public IReadOnlyList<string>? Strings() =>
        Succeeded && Json is JsonArray array && array.All(n => n is JsonValue v && v.TryGetValue<string>(out _))
            ? array.Select(n => n!.GetValue<string>()).ToArray()
            : null;

    /// <summary>What the listing says about the existing Igor: <c>UP</c>, or <c>DOWN: why</c>.</summary>
    public string Describe(string what) => Failure(what) is { } failure ? "DOWN: " + failure : "UP";

    /// <summary>Why the call failed, or null when Igor answered with a success.</summary>
    public string? Failure(string what) =>
        Problem ?? (Succeeded ? null : $"the existing Igor answered {StatusCode} to {what}");
}
