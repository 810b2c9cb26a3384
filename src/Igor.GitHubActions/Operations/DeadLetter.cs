namespace Igor.GitHubActions.Operations;

/// <summary>
/// One message Echo refused for good, as <c>GET /admin/outbox/dead-letters</c> lists it: what was moved aside and why,
/// without its body (it may carry build parameters).
/// </summary>
internal sealed record DeadLetter(long Sequence, string Key, string Group, string Path, int Attempts, string? Reason, DateTimeOffset? At)
{
    public static DeadLetter From(State.LeasedItem<State.EchoMessage> item) =>
        new(item.Sequence, item.Key, item.Group, item.Payload.Path, item.Attempts, item.LastError, item.DoneAt);
}
