using System.Globalization;
using System.Net;
using Igor.GitHubActions.Igor;
using Octokit;

namespace Igor.GitHubActions.GitHub;

/// <summary>Dispatches and runs. Octokit lacks return_run_details, repository_dispatch and force-cancel, so those go through its connection.</summary>
internal sealed partial class OctokitGitHubActionsClient
{
    public Task<DispatchOutcome> DispatchWorkflowAsync(
        string owner, string repository, string workflowFile, string gitRef, IReadOnlyDictionary<string, string> inputs,
        bool returnRunDetails, CancellationToken cancellationToken) =>
        CallAsync(owner, repository, $"the dispatch of {workflowFile} in {owner}/{repository}", async client =>
        {
            // See https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event
            var uri = new Uri($"repos/{Escape(owner)}/{Escape(repository)}/actions/workflows/{Escape(workflowFile)}/dispatches", UriKind.Relative);
            var inputObject = inputs.ToDictionary(i => i.Key, i => (object)i.Value);
            object body = returnRunDetails
                ? new { Ref = gitRef, Inputs = inputObject, ReturnRunDetails = true }
                : new { Ref = gitRef, Inputs = inputObject };
            try
            {
                var response = await client.Connection.Post<Dictionary<string, object>>(
                    uri, body, "application/vnd.github+json", "application/json", parameters: null, cancellationToken).ConfigureAwait(false);
                var runId = response.Body is { } result && result.TryGetValue("workflow_run_id", out var id)
                    ? Convert.ToInt64(id, CultureInfo.InvariantCulture)
                    : (long?)null;
                return new DispatchOutcome(runId, false);
            }
            catch (ApiException e) when (returnRunDetails && e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity &&
                                         (e.Message.Contains("return_run_details", StringComparison.OrdinalIgnoreCase) ||
                                          e.ApiError?.Errors?.Any(x => x.Field == "return_run_details") == true))
            {
                return new DispatchOutcome(null, true);
            }
        }, cancellationToken);

    public Task DispatchRepositoryAsync(
        string owner, string repository, string eventType, IReadOnlyDictionary<string, string> clientPayload, CancellationToken cancellationToken) =>
        CallAsync(owner, repository, $"the repository_dispatch '{eventType}' to {owner}/{repository}", async client =>
        {
            // See https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event
            var uri = new Uri($"repos/{Escape(owner)}/{Escape(repository)}/dispatches", UriKind.Relative);
            var payload = clientPayload.ToDictionary(i => i.Key, i => (object)i.Value);
            await client.Connection.Post(uri, new { EventType = eventType, ClientPayload = payload }, "application/vnd.github+json", cancellationToken)
                .ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public async Task<string> GetDispatcherLoginAsync(CancellationToken cancellationToken)
    {
        if (_dispatcherLogin is { } known)
        {
            return known;
        }

        try
        {
            var login = _appClient is not null
                ? (await _appClient.GitHubApps.GetCurrent().WaitAsync(cancellationToken).ConfigureAwait(false)).Slug + "[bot]"
                : (await _tokenClient!.User.Current().WaitAsync(cancellationToken).ConfigureAwait(false)).Login;
            _dispatcherLogin = login;
            return login;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw GitHubErrors.Map(e, _master.Name, "the login the master dispatches as");
        }
    }

    public Task<WorkflowRunInfo> GetRunAsync(string owner, string repository, long runId, CancellationToken cancellationToken) =>
        CallAsync(owner, repository, $"run {runId} of {owner}/{repository}", async client =>
            ToRun(await client.Actions.Workflows.Runs.Get(owner, repository, runId).ConfigureAwait(false)), cancellationToken);

    public Task<IReadOnlyList<WorkflowRunInfo>> ListRunsAsync(
        string owner, string repository, string workflowFile, RunQuery query, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<WorkflowRunInfo>>(owner, repository, $"the runs of {workflowFile} in {owner}/{repository}", async client =>
        {
            var request = new WorkflowRunsRequest
            {
                Event = query.Event,
                HeadSha = query.HeadSha,
                Branch = query.Branch,
                Actor = query.Actor,
                Created = query.CreatedAfter is { } after ? ">=" + after.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : null,
            };
            var response = await client.Actions.Workflows.Runs.ListByWorkflow(
                owner, repository, workflowFile, request,
                new ApiOptions { PageSize = query.PerPage, PageCount = 1, StartPage = query.Page }).ConfigureAwait(false);
            return response.WorkflowRuns.Select(ToRun).ToArray();
        }, cancellationToken);

    public Task<bool> CancelRunAsync(string owner, string repository, long runId, bool force, CancellationToken cancellationToken) =>
        CallAsync(owner, repository, $"the cancel of run {runId} in {owner}/{repository}", async client =>
        {
            try
            {
                // See https://docs.github.com/rest/actions/workflow-runs#force-cancel-a-workflow-run
                var uri = new Uri($"repos/{Escape(owner)}/{Escape(repository)}/actions/runs/{runId}/{(force ? "force-cancel" : "cancel")}", UriKind.Relative);
                await client.Connection.Post(uri, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                return false;
            }
        }, cancellationToken);

    internal static WorkflowRunInfo ToRun(WorkflowRun run) => new()
    {
        Id = run.Id,
        RunNumber = checked((int)run.RunNumber),
        RunAttempt = (int)run.RunAttempt,
        Status = run.Status.StringValue,
        Conclusion = run.Conclusion?.StringValue,
        Event = run.Event,
        HeadBranch = run.HeadBranch,
        HeadSha = run.HeadSha,
        DisplayTitle = run.DisplayTitle,
        Actor = run.Actor?.Login,
        HtmlUrl = run.HtmlUrl,
        CreatedAt = run.CreatedAt,
        UpdatedAt = run.UpdatedAt,
        RunStartedAt = run.RunStartedAt,
        CommitMessage = run.HeadCommit?.Message,
        CommitAuthor = run.HeadCommit?.Author?.Name,
        Path = run.Path,
        PullRequestNumber = run.PullRequests is { Count: > 0 } pulls ? pulls[0].Number : null,
    };

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
