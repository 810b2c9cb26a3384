namespace Igor.GitHubActions.Webhooks;

/// <summary>What <c>POST /webhooks/github</c> answers GitHub (shown in the App's delivery log): stored, a duplicate, or not used and why.</summary>
internal sealed record WebhookReceipt(bool Accepted, bool? Duplicate = null, string? Reason = null);
