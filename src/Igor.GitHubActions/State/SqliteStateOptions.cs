using System.ComponentModel.DataAnnotations;

namespace Igor.GitHubActions.State;

/// <summary>The embedded SQLite store.</summary>
internal sealed class SqliteStateOptions
{
    [Required]
    public string Path { get; set; } = "data/igor-github-actions.db";
}
