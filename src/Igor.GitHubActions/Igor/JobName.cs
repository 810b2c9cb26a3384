using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.Igor;

/// <summary>A job as Spinnaker names it: <c>owner/repo/workflow-file.yml</c>.</summary>
internal sealed partial record JobName(string Owner, string Repository, string WorkflowFile)
{
    public string FullRepository => $"{Owner}/{Repository}";

    public override string ToString() => $"{Owner}/{Repository}/{WorkflowFile}";

    public static JobName Parse(string? value) =>
        TryParse(value, out var job, out var error) ? job : throw IgorException.BadRequest(error);

    /// <summary>Parses a decoded job name; the error names what is wrong, for a 400 answer.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out JobName? job, [NotNullWhen(false)] out string? error)
    {
        job = null;
        if (string.IsNullOrEmpty(value))
        {
            error = "the job name is missing: expected owner/repo/workflow.yml";
            return false;
        }

        if (value.Length > 400 || value.Any(char.IsControl))
        {
            error = "the job name is too long or contains control characters";
            return false;
        }

        var parts = value.Split('/');
        if (parts.Length != 3)
        {
            error = $"'{value}' is not a job name: expected owner/repo/workflow.yml (three parts separated by '/')";
            return false;
        }

        return TryCreate(parts[0], parts[1], parts[2], out job, out error);
    }

    /// <summary>Builds a job from already separated, decoded parts; a part that contains '/' is refused.</summary>
    public static bool TryCreate(string owner, string repository, string file, [NotNullWhen(true)] out JobName? job, [NotNullWhen(false)] out string? error)
    {
        job = null;
        if (!OwnerPattern().IsMatch(owner))
        {
            error = $"'{owner}' is not a GitHub owner name";
            return false;
        }

        if (!RepositoryPattern().IsMatch(repository) || repository is "." or "..")
        {
            error = $"'{repository}' is not a GitHub repository name";
            return false;
        }

        if (file.Length == 0 || file is "." or ".." || file.IndexOfAny(['/', '\\', '%', '?', '#']) >= 0 || file.Trim() != file || file.Any(char.IsControl) ||
            !(file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)))
        {
            error = $"'{file}' is not a workflow file name: expected a name ending in .yml or .yaml under .github/workflows";
            return false;
        }

        job = new JobName(owner, repository, file);
        error = null;
        return true;
    }

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\z")]
    private static partial Regex OwnerPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}\z")]
    private static partial Regex RepositoryPattern();
}
