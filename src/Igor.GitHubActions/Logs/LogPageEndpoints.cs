using System.Globalization;
using System.Text;
using Igor.GitHubActions.Igor.Http;

using Igor.GitHubActions.Security;

namespace Igor.GitHubActions.Logs;

/// <summary>
/// The log page a build's <c>url</c> points at when <c>Spinnaker:LogPageUrl</c> is set, the raw log of one job,
/// and <c>consoleText</c> (Deck's script stage links <c>{url}consoleText</c>). Everything is streamed from GitHub.
/// </summary>
internal static class LogPageEndpoints
{
    public static IEndpointRouteBuilder MapLogPageEndpoints(this IEndpointRouteBuilder routes)
    {
        var logs = routes.MapGroup("/logs/{master}/{owner}/{repo}/{runId}").RequireFiat();
        logs.MapGet("/", GetPageAsync).WithName("GetLogPage");
        logs.MapGet("/consoleText", GetConsoleTextAsync).WithName("GetConsoleText");
        logs.MapGet("/jobs/{jobId}/raw", GetRawJobLogAsync).WithName("GetRawJobLog");

        // The signed forms builds link to (LogLinks): readable with the link alone, as through Gate's proxy.
        var signed = routes.MapGroup("/logs/{master}/{owner}/{repo}/{runId}/{signature:length(22)}").AddEndpointFilter(CheckSignatureAsync).AllowAnonymous();
        signed.MapGet("/", GetPageAsync).WithName("GetSignedLogPage");
        signed.MapGet("/consoleText", GetConsoleTextAsync).WithName("GetSignedConsoleText");
        return routes;
    }

    /// <summary>A signed route answers only to its own run's signature: 403 before any GitHub call otherwise.</summary>
    private static ValueTask<object?> CheckSignatureAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var links = http.RequestServices.GetRequiredService<LogLinks>();
        string Value(string name) => http.GetRouteValue(name) as string ?? "";
        if (!links.Verify(Value("master"), Value("owner"), Value("repo"), Value("runId"), Value("signature")))
        {
            throw new IgorException(StatusCodes.Status403Forbidden,
                "this log link's signature does not match its run: open the build's link from Spinnaker again");
        }

        return next(context);
    }

    internal static async Task GetPageAsync(
        string master, string owner, string repo, string runId, HttpContext context, GitHub.GitHubMasters masters, CancellationToken cancellationToken)
    {
        var (service, run) = await FindAsync(masters, master, owner, repo, runId, cancellationToken).ConfigureAwait(false);
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentSecurityPolicy = LogPageRenderer.ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);
        await LogPageRenderer.RenderAsync(run, (job, ct) => service.Logs.OpenJobLogAsync(run, job.Id, ct), writer, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<IResult> GetRawJobLogAsync(
        string master, string owner, string repo, string runId, string jobId, GitHub.GitHubMasters masters, CancellationToken cancellationToken)
    {
        var (service, run) = await FindAsync(masters, master, owner, repo, runId, cancellationToken).ConfigureAwait(false);
        var id = long.TryParse(jobId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw IgorException.BadRequest($"'{jobId}' is not a job id");
        var log = await service.Logs.OpenJobLogAsync(run, id, cancellationToken).ConfigureAwait(false);
        return Results.Stream(log, "text/plain; charset=utf-8");
    }

    internal static async Task GetConsoleTextAsync(
        string master, string owner, string repo, string runId, HttpContext context, GitHub.GitHubMasters masters, CancellationToken cancellationToken)
    {
        var (service, run) = await FindAsync(masters, master, owner, repo, runId, cancellationToken).ConfigureAwait(false);
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var body = context.Response.Body;
        foreach (var job in run.Jobs)
        {
            await body.WriteAsync(Encoding.UTF8.GetBytes(JobHeader(job)), cancellationToken).ConfigureAwait(false);
            if (job.Completed)
            {
                await using var log = await service.Logs.OpenJobLogAsync(run, job.Id, cancellationToken).ConfigureAwait(false);
                await log.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The line that opens a job's part of a concatenated log.</summary>
    internal static string JobHeader(JobLogView job) =>
        $"\n===== {job.Name} ({(job.Completed ? job.Conclusion ?? "completed" : job.Status + "; its log is shown once it has finished")}) =====\n";

    private static async Task<(GitHub.GitHubMaster Service, RunLogView Run)> FindAsync(
        GitHub.GitHubMasters masters, string master, string owner, string repo, string runId, CancellationToken cancellationToken)
    {
        var service = masters.Get(master);
        var id = long.TryParse(runId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw IgorException.BadRequest($"'{runId}' is not a run id");
        var run = await service.Logs.GetRunAsync(owner, repo, id, cancellationToken).ConfigureAwait(false)
            ?? throw IgorException.NotFound($"master '{master}' has no run {id} in {owner}/{repo}");
        return (service, run);
    }
}
