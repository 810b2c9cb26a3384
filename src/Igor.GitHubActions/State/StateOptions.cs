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
}
