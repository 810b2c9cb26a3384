using System.ComponentModel.DataAnnotations;

namespace Igor.GitHubActions.Configuration;

/// <summary>Unset, or the path of a file that exists when the service starts.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ExistingFileAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is null or "" || (value is string path && File.Exists(path));
}
