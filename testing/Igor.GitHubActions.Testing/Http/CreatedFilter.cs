using System.Globalization;

namespace Igor.GitHubActions.Testing.Http;

/// <summary>GitHub search date syntax for the <c>created</c> filter: <c>&gt;=X</c>, <c>&lt;=X</c>, <c>&gt;X</c>, <c>&lt;X</c>, <c>X..Y</c> (with <c>*</c>), or <c>X</c>. Dates may be days or instants.</summary>
internal static class CreatedFilter
{
    /// <summary>A predicate over (second-truncated) creation times, or null when the value cannot be parsed.</summary>
    public static Func<DateTimeOffset, bool>? Parse(string value)
    {
        value = value.Trim();
        if (value.Contains("..", StringComparison.Ordinal))
        {
            var parts = value.Split("..", 2);
            var from = parts[0] == "*" ? (DateTimeOffset?)DateTimeOffset.MinValue : Bound(parts[0], upper: false);
            var to = parts[1] == "*" ? (DateTimeOffset?)DateTimeOffset.MaxValue : Bound(parts[1], upper: true);
            return from is { } f && to is { } t ? d => d >= f && d <= t : null;
        }

        foreach (var (op, test) in new (string Op, Func<DateTimeOffset, DateTimeOffset, bool> Test)[]
                 {
                     (">=", (d, b) => d >= b), ("<=", (d, b) => d <= b), (">", (d, b) => d > b), ("<", (d, b) => d < b),
                 })
        {
            if (value.StartsWith(op, StringComparison.Ordinal))
            {
                var upper = op[0] == '<' ? op == "<=" : op == ">";
                return Bound(value[op.Length..], upper) is { } bound ? d => test(d, bound) : null;
            }
        }

        var low = Bound(value, upper: false);
        var high = Bound(value, upper: true);
        return low is { } l && high is { } h ? d => d >= l && d <= h : null;
    }

    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>A date-only value is the start of that day, or its last second when <paramref name="upper"/>.</summary>
    private static DateTimeOffset? Bound(string text, bool upper)
    {
        text = text.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return upper ? start.AddDays(1).AddSeconds(-1) : start;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? Truncate(instant)
            : null;
    }
}
