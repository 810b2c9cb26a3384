using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Igor.GitHubActions.Configuration;

/// <summary>A <see cref="TimeSpan"/> within [<paramref name="minimum"/>, <paramref name="maximum"/>] (<c>c</c> format), with the message given.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class DurationAttribute(string minimum, string maximum) : ValidationAttribute
{
    private readonly TimeSpan _minimum = TimeSpan.ParseExact(minimum, "c", CultureInfo.InvariantCulture);
    private readonly TimeSpan _maximum = TimeSpan.ParseExact(maximum, "c", CultureInfo.InvariantCulture);

    public override bool IsValid(object? value) => value is TimeSpan duration && duration >= _minimum && duration <= _maximum;
}
