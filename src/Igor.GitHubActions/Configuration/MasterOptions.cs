using System.ComponentModel.DataAnnotations;

namespace Igor.GitHubActions.Configuration;

/// <summary>One GitHub "build master": a GitHub host, its credentials and the repositories it may run.</summary>
internal sealed class MasterOptions
{
    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", ErrorMessage = "{0}: a master name is 1-64 letters, digits, '.', '_' or '-'")]
    public string Name { get; set; } = "";

    /// <summary>https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.</summary>
    [Required]
    public Uri ApiUrl { get; set; } = new("https://api.github.com/");

    /// <summary>The GitHub App id (digits) or client id (Iv1.../Iv23...).</summary>
    public string? AppId { get; set; }

    public string? PrivateKeyPath { get; set; }

    public string? PrivateKey { get; set; }

    /// <summary>A token used instead of an App, for trials.</summary>
    public string? Token { get; set; }

    /// <summary><c>owner/repo</c>, or <c>owner/*</c> for every repository the App is installed on.</summary>
    public List<string> Repositories { get; set; } = [];

    /// <summary>Fiat permissions published on /buildServices, e.g. READ: [devs].</summary>
    public Dictionary<string, List<string>> Permissions { get; set; } = [];

    /// <summary>
    /// Teams (<c>org/team-slug</c>) that must each have write access (push, maintain or admin) to a repository before the
    /// master starts one of its workflows (Armory's impersonateGitHubTeam). Needs the App's organization permission Members: read.
    /// </summary>
    public List<string> RequireTeamWriteAccess { get; set; } = [];

    /// <summary>The git web host for links (derived from ApiUrl when empty).</summary>
    public Uri? WebUrl { get; set; }

    public bool UsesApp => !string.IsNullOrWhiteSpace(AppId);
}
