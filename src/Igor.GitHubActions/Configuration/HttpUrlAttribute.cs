using System.ComponentModel.DataAnnotations;

namespace Igor.GitHubActions.Configuration;

/// <summary>Unset, or an absolute <c>http</c>/<c>https</c> URL (without a query when <see cref="NoQuery"/>): the one URL rule of every options type.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class HttpUrlAttribute : ValidationAttribute
{
    public bool NoQuery { get; init; }

    public override bool IsValid(object? value) =>
        value is null || (value is Uri { IsAbsoluteUri: true } url && url.Scheme is "http" or "https" && (!NoQuery || url.Query.Length == 0));
}
