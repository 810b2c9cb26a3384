namespace Igor.GitHubActions.State;

/// <summary>The kinds of leased work a worker claims from the store.</summary>
internal enum ClaimKind
{
    /// <summary>Webhook deliveries (ids are GitHub delivery ids).</summary>
    Deliveries,

    /// <summary>Outbox messages for Echo (ids are sequences).</summary>
    Outbox,

    /// <summary>Deployment statuses for GitHub (ids are sequences).</summary>
    DeploymentStatuses,
}
