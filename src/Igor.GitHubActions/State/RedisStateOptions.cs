using System.ComponentModel.DataAnnotations;

namespace Igor.GitHubActions.State;

/// <summary>The Redis store, for several replicas.</summary>
internal sealed class RedisStateOptions
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis:6379,password=...</c>.</summary>
    [Required]
    public string Configuration { get; set; } = "localhost:6379";

    /// <summary>Prefix of every key, so several installations can share one Redis.</summary>
    [Required]
    public string KeyPrefix { get; set; } = "igor-gha:";
}
