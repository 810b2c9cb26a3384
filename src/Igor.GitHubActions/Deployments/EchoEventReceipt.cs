namespace Igor.GitHubActions.Deployments;

/// <summary>What <c>POST /echo/events</c> answers Echo: whether the event concerned a deployment, and how many statuses it filed.</summary>
internal sealed record EchoEventReceipt(bool Accepted, int? Statuses = null);
