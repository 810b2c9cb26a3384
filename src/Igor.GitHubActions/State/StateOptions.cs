using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;

namespace Igor.GitHubActions.State;

/// <summary>The <c>State</c> configuration section: where durable state lives.</summary>
internal sealed class StateOptions
{
    public const string SectionName = "State";

    [Required]
    [RegularExpression("^(Sqlite|Redis)$", ErrorMessage = "State:Provider is Sqlite or Redis")]
    public string Provider { get; set; } = "Sqlite";

    [ValidateObjectMembers]
    public SqliteStateOptions Sqlite { get; set; } = new();

    [ValidateObjectMembers]
    public RedisStateOptions Redis { get; set; } = new();

    /// <summary>
    /// How long finished queue items, delivery bodies, delivered events, run snapshots, the run index and deployment
    /// records are kept; live items are never pruned. Delivery ids stay at least 3 days (GitHub redelivers that far back).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the store is pruned.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often each replica checks that the store is still the one it started on (not emptied, not replaced).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan IdentityCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
