using System.ComponentModel.DataAnnotations;

namespace Igor.GitHubActions.Configuration;

/// <summary>
/// Unset, or secrets long enough to guess no faster than a random key (<c>openssl rand -hex 32</c>): each at least
/// <see cref="MinimumLength"/> characters, without white space unless <see cref="AllowWhiteSpace"/>. Applies to one
/// string or a list of them.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class SecretAttribute(int minimumLength) : ValidationAttribute
{
    public int MinimumLength { get; } = minimumLength;

    public bool AllowWhiteSpace { get; init; }

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        string one => one.Length == 0 || Strong(one),
        IEnumerable<string> many => many.All(s => s is not null && Strong(s)),
        _ => false,
    };

    private bool Strong(string secret) => secret.Length >= MinimumLength && (AllowWhiteSpace || !secret.Any(char.IsWhiteSpace));
}
