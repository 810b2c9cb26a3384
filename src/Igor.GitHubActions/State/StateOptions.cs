using System.ComponentModel.DataAnnotations;

namespace Igor.GitHubActions.State;

/// <summary>The <c>State</c> configuration section: where durable state lives.</summary>
internal sealed class StateOptions
{
    public const string SectionName = "State";

    [Required]
    [RegularExpression("^(Sqlite|Redis)$", ErrorMessage = "State:Provider is Sqlite or Redis")]
    public string Provider { get; set; } = "Sqlite";

    public SqliteStateOptions Sqlite { get; set; } = new();

    public RedisStateOptions Redis { get; set; } = new();

    /// <summary>How often each replica checks that the store is still the one it started on (not emptied, not replaced).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan IdentityCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
