using System.Net;
using System.Text;

namespace Igor.GitHubActions.Logs;

/// <summary>
/// One job's log as HTML, line by line: <c>##[group]</c>/<c>##[endgroup]</c> fold as GitHub folds them (a group
/// titled after a failed step opens), <c>##[error]</c> and friends are marked, timestamps sit in a hideable span.
/// </summary>
internal sealed class JobLogHtml(JobLogView job)
{
    private const string GroupCommand = "##[group]";
    private const string EndGroupCommand = "##[endgroup]";
    private static readonly string[] LineCommands = ["error", "warning", "notice", "debug", "command"];

    private readonly AnsiHtml _ansi = new();
    private readonly string[] _failedSteps = job.Steps.Where(s => s.Failed).Select(s => s.Name).ToArray();
    private int _depth;

    public void WriteLine(string raw, StringBuilder html)
    {
        var (timestamp, text) = LogLine.Split(raw);
        if (text.StartsWith(GroupCommand, StringComparison.Ordinal))
        {
            var title = text[GroupCommand.Length..];
            var failed = _failedSteps.Any(s => Matches(title, s));
            html.Append(failed ? "<details class=\"group failed\" open><summary>" : "<details class=\"group\"><summary>");
            Timestamp(timestamp, html);
            _ansi.Write(title, html);
            html.Append("</summary>");
            _depth++;
            return;
        }

        if (text.StartsWith(EndGroupCommand, StringComparison.Ordinal))
        {
            if (_depth > 0)
            {
                html.Append("</details>");
                _depth--;
            }

            return;
        }

        var kind = LineCommands.FirstOrDefault(c => text.StartsWith($"##[{c}]", StringComparison.Ordinal));
        html.Append(kind is null ? "<div class=\"line\">" : $"<div class=\"line {kind}\">");
        Timestamp(timestamp, html);
        if (kind is not null)
        {
            text = text[(kind.Length + 4)..];
            html.Append("<span class=\"kind\">").Append(kind == "command" ? "" : kind + ": ").Append("</span>");
        }

        _ansi.Write(text, html);
        html.Append("</div>");
    }

    /// <summary>Closes the groups the log left open.</summary>
    public void End(StringBuilder html)
    {
        for (; _depth > 0; _depth--)
        {
            html.Append("</details>");
        }
    }

    /// <summary>GitHub titles a step's group "Run &lt;command&gt;" and names the step "Run &lt;command&gt;" or by its name.</summary>
    private static bool Matches(string title, string step) =>
        string.Equals(title, step, StringComparison.Ordinal) ||
        string.Equals(title, "Run " + step, StringComparison.Ordinal) ||
        (step.StartsWith("Run ", StringComparison.Ordinal) && title.StartsWith(step, StringComparison.Ordinal));

    private static void Timestamp(string? timestamp, StringBuilder html)
    {
        if (timestamp is not null)
        {
            html.Append("<span class=\"ts\">").Append(WebUtility.HtmlEncode(timestamp)).Append(' ').Append("</span>");
        }
    }
}
