namespace Igor.GitHubActions.Operations;

/// <summary>Puts Spinnaker's request, execution and user ids into every log line of the request (structured logging scope).</summary>
internal static class SpinnakerRequestScope
{
    private const string ExecutionHeader = "X-SPINNAKER-EXECUTION-ID";
    private static readonly string[] Headers = ["X-SPINNAKER-REQUEST-ID", ExecutionHeader, "X-SPINNAKER-USER", "X-GitHub-Delivery"];

    public static IApplicationBuilder UseSpinnakerRequestScope(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var header in Headers)
            {
                if (context.Request.Headers.TryGetValue(header, out var value) && value.Count == 1 && value[0] is { Length: <= 200 } text)
                {
                    // Orca's task calls send executionId:stageId:taskId; the execution id is what an operator searches for.
                    values[header] = header == ExecutionHeader ? Igor.SpinnakerExecution.IdOf(text) : text;
                }
            }

            if (values.Count == 0)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Igor.GitHubActions.Requests");
            using (logger.BeginScope(values))
            {
                await next(context).ConfigureAwait(false);
            }
        });
}
