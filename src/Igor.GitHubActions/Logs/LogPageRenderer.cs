using System.Net;
using System.Text;
using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.Logs;

/// <summary>
/// The log page of a run, written incrementally (a job's log is read from GitHub and written out line by line, so a
/// huge log never sits in memory). Self-contained: inline CSS and a few lines of inline script, nothing fetched.
/// </summary>
internal static class LogPageRenderer
{
    private const int FlushThreshold = 32 * 1024;

    /// <summary>The page's one script: opens every fold around an error line.</summary>
    private const string Script = """

        document.querySelectorAll('.line.error').forEach(function (e) {
          for (var d = e.closest('details'); d; d = d.parentElement.closest('details')) { d.open = true; }
        });

        """;

    /// <summary>
    /// Nothing is fetched, and the only script that may run is <see cref="Script"/> (by its hash): should a log line,
    /// job, step or group name ever get past the escaping, it still cannot run as script.
    /// </summary>
    public static readonly string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; " +
        $"script-src 'sha256-{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Script)))}'";

    public static async Task RenderAsync(
        RunLogView run, Func<JobLogView, CancellationToken, Task<Stream>> openLog, TextWriter output, CancellationToken cancellationToken)
    {
        var html = new StringBuilder();
        Head(run, html);
        foreach (var job in run.Jobs)
        {
            var status = job.Completed ? job.Conclusion ?? "completed" : job.Status;
            html.Append("<details class=\"job ").Append(job.Failed ? "failed" : Encode(status)).Append('"')
                .Append(job.Failed || !job.Completed ? " open" : "").Append("><summary><span class=\"state\">")
                .Append(Encode(status)).Append("</span> ").Append(Encode(job.Name))
                .Append(" <a href=\"").Append(Encode(SafeLink(job.HtmlUrl))).Append("\">on GitHub</a></summary>\n<ol class=\"steps\">");
            foreach (var step in job.Steps)
            {
                html.Append("<li class=\"").Append(step.Failed ? "failed" : Encode(step.Conclusion ?? step.Status)).Append("\">")
                    .Append(Encode(step.Name)).Append(" — ").Append(Encode(step.Conclusion ?? step.Status)).Append("</li>");
            }

            html.Append("</ol>\n");
            if (!job.Completed)
            {
                html.Append("<p class=\"note\">This job is ").Append(Encode(job.Status))
                    .Append(". Its log is shown once it has finished: GitHub's API has no live log stream.</p>\n");
            }
            else
            {
                await WriteLogAsync(job, openLog, html, output, cancellationToken).ConfigureAwait(false);
            }

            html.Append("</details>\n");
            await FlushAsync(html, output, cancellationToken).ConfigureAwait(false);
        }

        html.Append("</main>\n<script>").Append(Script).Append("</script>\n</body></html>\n");
        await FlushAsync(html, output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Longer log lines are cut on the page, with a marker saying so (the raw log keeps them whole).</summary>
    internal const int MaxLineLength = 64 * 1024;

    private static async Task WriteLogAsync(
        JobLogView job, Func<JobLogView, CancellationToken, Task<Stream>> openLog, StringBuilder html, TextWriter output, CancellationToken cancellationToken)
    {
        Stream log;
        try
        {
            log = await openLog(job, cancellationToken).ConfigureAwait(false);
        }
        catch (IgorException e)
        {
            html.Append("<p class=\"note\">The log could not be read: ").Append(Encode(e.Message)).Append("</p>\n");
            return;
        }

        html.Append("<div class=\"log\">");
        var lines = new JobLogHtml(job);
        using (var reader = new StreamReader(log))
        {
            var bounded = new BoundedLineReader(reader, MaxLineLength);
            while (await bounded.ReadLineAsync(cancellationToken).ConfigureAwait(false) is var (line, cut))
            {
                lines.WriteLine(cut ? line + BoundedLineReader.Marker(MaxLineLength) : line, html);
                if (html.Length > FlushThreshold)
                {
                    await FlushAsync(html, output, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        lines.End(html);
        html.Append("</div>\n");
    }

    private static void Head(RunLogView run, StringBuilder html)
    {
        var title = $"{run.Job} #{run.RunNumber}";
        var state = run.Building ? run.Status : run.Conclusion ?? run.Status;
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append(run.Building ? "<meta http-equiv=\"refresh\" content=\"15\">" : "")
            .Append("<title>").Append(Encode(title)).Append("</title><style>").Append(Css).Append("</style></head><body>\n")
            .Append("<input type=\"checkbox\" id=\"show-ts\"><header><h1>").Append(Encode(title)).Append("</h1><p>")
            .Append("<span class=\"state ").Append(Encode(state)).Append("\">").Append(Encode(state)).Append("</span> · attempt ")
            .Append(run.RunAttempt).Append(" · <a href=\"").Append(Encode(SafeLink(run.HtmlUrl))).Append("\">the run on GitHub</a>")
            .Append(" · <label for=\"show-ts\">show timestamps</label></p>");
        if (run.Building)
        {
            html.Append("<p class=\"note\">The run is still going: the page shows each job's status and reloads every 15 s. ")
                .Append("Logs appear as jobs finish, because GitHub's API has no live log stream.</p>");
        }

        html.Append("</header>\n<main>\n");
    }

    private static async Task FlushAsync(StringBuilder html, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteAsync(html, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        html.Clear();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Only an absolute http(s) URL becomes a link; anything else (a <c>javascript:</c> URL) links nowhere.</summary>
    private static string SafeLink(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? url : "#";

    private const string Css = """
        body{font-family:system-ui,sans-serif;margin:0;background:#0d1117;color:#c9d1d9}
        header{padding:12px 20px;border-bottom:1px solid #30363d}h1{font-size:18px;margin:0 0 4px}a{color:#58a6ff}
        main{padding:12px 20px}.note{color:#d29922}
        #show-ts{float:right;margin:16px}label{cursor:pointer;text-decoration:underline dotted}
        .ts{display:none;color:#8b949e}#show-ts:checked~main .ts{display:inline}
        details.job{border:1px solid #30363d;border-radius:6px;margin:8px 0;padding:4px 8px}
        details.job>summary{font-weight:600;cursor:pointer}details.job.failed{border-color:#f85149}
        .state{font-size:12px;padding:1px 6px;border-radius:10px;background:#30363d}
        .failed>summary .state,.state.failure{background:#f85149;color:#fff}.state.success{background:#238636;color:#fff}
        ol.steps{font-size:13px;color:#8b949e}ol.steps li.failed{color:#f85149;font-weight:600}
        .log{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap;word-break:break-all;background:#010409;padding:8px;border-radius:4px}
        details.group{margin:0}details.group>summary{cursor:pointer;color:#e6edf3}details.group.failed>summary{color:#f85149}
        .line.error{color:#f85149;background:#2d1214}.line.warning{color:#d29922}.line.notice{color:#58a6ff}.line.debug{color:#8b949e}.line.command{color:#79c0ff}
        .kind{font-weight:600}.b{font-weight:700}.i{font-style:italic}.u{text-decoration:underline}
        .f0{color:#484f58}.f1{color:#ff7b72}.f2{color:#3fb950}.f3{color:#d29922}.f4{color:#58a6ff}.f5{color:#bc8cff}.f6{color:#39c5cf}.f7{color:#b1bac4}
        .f8{color:#6e7681}.f9{color:#ffa198}.f10{color:#56d364}.f11{color:#e3b341}.f12{color:#79c0ff}.f13{color:#d2a8ff}.f14{color:#56d4dd}.f15{color:#fff}
        .g0{background:#484f58}.g1{background:#ff7b72}.g2{background:#3fb950}.g3{background:#d29922}.g4{background:#58a6ff}.g5{background:#bc8cff}.g6{background:#39c5cf}.g7{background:#b1bac4}
        .g8{background:#6e7681}.g9{background:#ffa198}.g10{background:#56d364}.g11{background:#e3b341}.g12{background:#79c0ff}.g13{background:#d2a8ff}.g14{background:#56d4dd}.g15{background:#fff}
        """;
}
